package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Import paths of the gridlock packages the rewritten code uses.
const (
	DetectPath    = "github.com/gridlock-go/gridlock/detect"
	SyncAPIPath   = "github.com/gridlock-go/gridlock/detect/syncapi" // for import . "sync"
	ChanwatchPath = "github.com/gridlock-go/gridlock/chanwatch"
)

// Mode selects what a rewrite changes.
type Mode struct {
	// Sync switches "sync" imports to the detect package.
	Sync bool
	// Chans rewrites channel operations to chanwatch.
	Chans bool
	// TestMain makes the tests verify gridlock's reports: m.Run() calls
	// become detect.RunTests(m), and a TestMain is added where there is none.
	TestMain bool
	// LineDirectives inserts /*line*/ comments where generated code would
	// move user code to another line, so that positions in stack traces
	// stay those of the original file. Off for source meant to be kept.
	LineDirectives bool
	// GoVersion, when set, is the language version (such as "go1.16") of
	// the main module's go line before gridlock was required, which raised
	// it: the main module's files are pinned back to it (pinGoVersion).
	GoVersion string
}

// fileRewriter rewrites one type-checked file.
type fileRewriter struct {
	mode  Mode
	fset  *token.FileSet
	file  *ast.File
	tf    *token.File
	info  *types.Info
	pkg   *types.Package
	typed bool // type information is complete
	ed    editor
	pfx   string // prefix of generated identifiers

	chans   bool // channel rewriting applies to this file (go1.18+)
	rangeOK bool // range-over-func is allowed in this file (go1.23+)
	// loopVarOK: loop variables are per iteration in this file (go1.22+)
	loopVarOK bool

	cw           string // name of the chanwatch import
	cwUsed       bool
	cwImported   bool // the file already imports chanwatch under cw
	detect       string
	detectUsed   bool
	extraImports map[string]string // path → generated import name

	skip     map[ast.Node]bool       // communications of select cases
	recv2    map[*ast.UnaryExpr]bool // receives in v, ok := <-ch form
	nsel     int
	nstmt    int // channel statements rewritten, naming their temporaries
	branches map[*types.Label][]*ast.BranchStmt
	warnings []string

	recovering map[*ast.BlockStmt]bool // see recovers

	testFile  bool                        // a _test.go file
	prologues map[*ast.BlockStmt][]string // see addPrologue
}

func newFileRewriter(mode Mode, fset *token.FileSet, file *ast.File, src []byte, info *types.Info, pkg *types.Package, typed bool) *fileRewriter {
	r := &fileRewriter{
		mode: mode, fset: fset, file: file, tf: fset.File(file.Pos()), info: info, pkg: pkg, typed: typed,
		ed:           editor{src: src},
		extraImports: map[string]string{},
		skip:         map[ast.Node]bool{},
		recv2:        map[*ast.UnaryExpr]bool{},
	}
	// Generated identifiers start with a prefix no identifier of the file
	// starts with, so they never capture or shadow a user's name.
	idents := map[string]bool{}
	r.pfx = "_gl"
	ast.Inspect(file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			idents[id.Name] = true
		}
		return true
	})
	for {
		clash := false
		for name := range idents {
			if strings.HasPrefix(name, r.pfx) {
				clash = true
				break
			}
		}
		if !clash {
			break
		}
		r.pfx += "x"
	}
	pkgScope := pkg.Scope()
	freeName := func(want string) string {
		if !idents[want] && pkgScope.Lookup(want) == nil {
			return want
		}
		return r.pfx + want
	}
	r.cw = freeName("chanwatch")
	r.detect = freeName("detect")
	for _, spec := range file.Imports {
		if p, _ := strconv.Unquote(spec.Path.Value); p == ChanwatchPath && spec.Name != nil && spec.Name.Name != "_" && spec.Name.Name != "." {
			r.cw, r.cwImported = spec.Name.Name, true
		} else if p == ChanwatchPath && spec.Name == nil {
			r.cw, r.cwImported = "chanwatch", true
		}
	}
	v := info.FileVersions[file]
	if v == "" {
		v = "go1.26"
	}
	r.chans = mode.Chans && typed && version.Compare(v, "go1.18") >= 0
	r.rangeOK = version.Compare(v, "go1.23") >= 0
	r.loopVarOK = version.Compare(v, "go1.22") >= 0
	return r
}

func (r *fileRewriter) off(p token.Pos) int { return r.tf.Offset(p) }

// text is the rewritten source of [from, to).
func (r *fileRewriter) text(from, to token.Pos) string { return r.ed.text(r.off(from), r.off(to)) }

// src is the rewritten source of node n.
func (r *fileRewriter) src(n ast.Node) string { return r.text(n.Pos(), n.End()) }

func (r *fileRewriter) replace(n ast.Node, gen func() string) {
	r.ed.add(r.off(n.Pos()), r.off(n.End()), gen)
}

func (r *fileRewriter) warn(pos token.Pos, format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf("%s: %s", r.fset.Position(pos), fmt.Sprintf(format, args...)))
}

// rewrite registers all edits and returns the new source, or nil when the
// file does not change.
func (r *fileRewriter) rewrite() []byte {
	var stack []ast.Node
	ast.Inspect(r.file, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		r.visit(n, stack)
		stack = append(stack, n)
		return true
	})
	r.addImports()
	if len(r.ed.edits) == 0 {
		return nil
	}
	return []byte(r.ed.text(0, len(r.ed.src)))
}

func (r *fileRewriter) visit(n ast.Node, stack []ast.Node) {
	switch n := n.(type) {
	case *ast.ImportSpec:
		if r.mode.Sync {
			r.importSpec(n)
		}
	case *ast.SelectStmt:
		r.markComms(n)
		if r.chans {
			var label *ast.LabeledStmt
			if l, ok := stack[len(stack)-1].(*ast.LabeledStmt); ok && l.Stmt == n {
				label = l
			}
			r.selectStmt(n, label, r.recovers(stack))
		}
	case *ast.SendStmt:
		switch {
		case !r.chans || r.skip[n]:
		case r.recovers(stack):
			r.send(n, "SendRecovered")
		case !r.sendStmt(n, stack):
			r.send(n, "Send")
		}
	case *ast.ExprStmt:
		if r.chans {
			r.recvStmt(n, stack)
		}
	case *ast.ReturnStmt:
		if r.chans {
			r.returnRecv(n, stack)
		}
	case *ast.AssignStmt:
		if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
			r.commaOK(n.Rhs[0], n.Lhs[1])
		}
		if r.chans {
			r.recvAssign(n, stack)
		}
	case *ast.ValueSpec:
		if len(n.Names) == 2 && len(n.Values) == 1 {
			r.commaOK(n.Values[0], n.Names[1])
		}
	case *ast.UnaryExpr:
		if n.Op == token.ARROW && r.chans && !r.skip[n] {
			r.recv(n)
		}
	case *ast.CallExpr:
		if r.chans {
			r.closeCall(n, stack)
		}
		if r.mode.TestMain {
			r.testingRun(n)
		}
	case *ast.RangeStmt:
		if r.chans {
			r.rangeStmt(n)
		}
	case *ast.FuncDecl:
		if n.Recv == nil && isTestName(n.Name.Name) {
			r.markTest(n.Type, n.Body)
		}
		r.doneTasks(n.Body)
	case *ast.FuncLit:
		if len(stack) > 0 && r.isRunArg(n, stack[len(stack)-1]) {
			r.markTest(n.Type, n.Body)
		}
		r.doneTasks(n.Body)
	}
}

// addPrologue adds stmt (with its semicolon) at the start of body, on the
// line of its brace: one edit of the brace carries all of a body's
// prologue statements.
func (r *fileRewriter) addPrologue(body *ast.BlockStmt, stmt string) {
	if r.prologues == nil {
		r.prologues = map[*ast.BlockStmt][]string{}
	}
	if _, ok := r.prologues[body]; !ok {
		brace := r.off(body.Lbrace)
		r.ed.add(brace, brace+1, func() string { return "{ " + strings.Join(r.prologues[body], " ") })
	}
	r.prologues[body] = append(r.prologues[body], stmt)
}

// markTest makes a test function of a _test.go file (func TestX(t
// *testing.T), or a subtest's literal passed to t.Run) begin with
// detect.InTest(t): reports about the goroutines it starts name the test,
// even once its own goroutine has exited.
func (r *fileRewriter) markTest(ft *ast.FuncType, body *ast.BlockStmt) {
	if !r.mode.TestMain || !r.testFile || body == nil || ft.Params == nil || len(ft.Params.List) != 1 {
		return
	}
	p := ft.Params.List[0]
	if len(p.Names) != 1 || p.Names[0].Name == "_" || !r.isTestingT(p.Type) {
		return
	}
	r.detectUsed = true
	r.addPrologue(body, r.detect+".InTest("+p.Names[0].Name+");")
}

// isTestName reports whether name is a test function's name for go test:
// Test, or Test followed by a character that is not a lower-case letter.
func isTestName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Test")
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	c, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLower(c)
}

// isTestingT reports whether the type expression e is *testing.T.
func (r *fileRewriter) isTestingT(e ast.Expr) bool {
	if r.typed {
		ptr, ok := types.Unalias(r.info.TypeOf(e)).(*types.Pointer)
		if !ok {
			return false
		}
		n, ok := types.Unalias(ptr.Elem()).(*types.Named)
		return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "testing" && n.Obj().Name() == "T"
	}
	star, ok := e.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "T" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	for _, spec := range r.file.Imports {
		if path, _ := strconv.Unquote(spec.Path.Value); path == "testing" {
			return spec.Name == nil && x.Name == "testing" || spec.Name != nil && spec.Name.Name == x.Name
		}
	}
	return false
}

// isRunArg reports whether lit is the function argument of a call t.Run(name,
// lit) of testing.T's Run, parent being the node that holds lit. Without
// type information, any method named Run (InTest ignores a nil test).
func (r *fileRewriter) isRunArg(lit *ast.FuncLit, parent ast.Node) bool {
	call, ok := parent.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || call.Args[1] != lit {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Run" {
		return false
	}
	if !r.typed {
		return true
	}
	s := r.info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return false
	}
	f, ok := s.Obj().(*types.Func)
	return ok && f.FullName() == "(*testing.T).Run"
}

// doneTasks makes a function that calls Done on a WaitGroup on every way
// out one of the WaitGroup's tasks while it runs, as a goroutine started by
// WaitGroup.Go is until its function returns: a Wait then waits for the
// goroutine running it, and is found stuck with it. This covers "go func()
// { defer wg.Done(); ... }()", "go worker(&wg)" with a worker that defers
// Done on its parameter, and a helper such as cockroach's finishTask that
// ends with s.wg.Done() (while it runs, it is the goroutine a Wait waits
// for). The body begins with detect.WaitGroupTask(wg) and a deferred
// detect.WaitGroupTaskEnd(wg), on the line of its brace.
//
// A registered goroutine counts as one Done to come, so only a Done sure to
// come counts (doneOnExit): a function that calls Done on some paths only
// (a loop that also runs other jobs, a barrier that either arrives or
// waits) is left alone. The WaitGroup must be named from outside the body
// (a parameter, the receiver, a captured or package variable, or a field
// path from one), and is registered only when the pointers on its path are
// not nil (a nil-receiver guard before the Done stays valid).
func (r *fileRewriter) doneTasks(body *ast.BlockStmt) {
	if body == nil || !r.mode.Sync || !r.typed {
		return
	}
	type task struct{ arg, guard string }
	var tasks []task
	for _, x := range doneOnExit(body) {
		ptr, ok := isSyncWaitGroup(r.info.TypeOf(x))
		if !ok {
			continue
		}
		guards, ok := r.outside(x, body)
		if !ok {
			continue
		}
		arg := types.ExprString(x)
		if !ptr {
			arg = "&" + arg
		}
		t := task{arg, strings.Join(guards, " && ")}
		if !slices.Contains(tasks, t) {
			tasks = append(tasks, t)
		}
	}
	if len(tasks) == 0 {
		return
	}
	r.detectUsed = true
	for _, t := range tasks {
		call := fmt.Sprintf("%s.WaitGroupTask(%s); defer %s.WaitGroupTaskEnd(%s);", r.detect, t.arg, r.detect, t.arg)
		if t.guard != "" {
			call = "if " + t.guard + " { " + call + " };"
		}
		r.addPrologue(body, call)
	}
}

// doneOnExit returns the receivers x of the x.Done() calls that body makes
// on every way out: a top-level "defer x.Done()" statement, or "defer
// func() { ... }()" whose literal does, or a top-level "x.Done()" statement
// in a body without return statements.
func doneOnExit(body *ast.BlockStmt) []ast.Expr {
	returns := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns = true
		}
		return !returns
	})
	var out []ast.Expr
	for _, st := range body.List {
		var call *ast.CallExpr
		switch st := st.(type) {
		case *ast.DeferStmt:
			if lit, ok := st.Call.Fun.(*ast.FuncLit); ok && len(st.Call.Args) == 0 {
				out = append(out, doneOnExit(lit.Body)...)
				continue
			}
			call = st.Call
		case *ast.ExprStmt:
			if returns {
				continue
			}
			call, _ = st.X.(*ast.CallExpr)
		}
		if call == nil || len(call.Args) != 0 {
			continue
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" {
			out = append(out, sel.X)
		}
	}
	return out
}

// isSyncWaitGroup reports whether t is sync.WaitGroup or a pointer to one
// (ptr).
func isSyncWaitGroup(t types.Type) (ptr, ok bool) {
	if p, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
		t, ptr = p.Elem(), true
	}
	return ptr, syncType(t) == "WaitGroup"
}

// syncType returns the name of t if t is a named type of package sync,
// else "".
func syncType(t types.Type) string {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return ""
	}
	return n.Obj().Name()
}

// outside reports whether x is a variable, or a field path from one (a.b.c),
// declared outside body: it names the same WaitGroup at the start of body.
// guards are the conditions under which evaluating &x does not dereference
// a nil pointer (p != nil for each pointer on the path).
func (r *fileRewriter) outside(x ast.Expr, body *ast.BlockStmt) (guards []string, ok bool) {
	for {
		switch e := x.(type) {
		case *ast.ParenExpr:
			x = e.X
		case *ast.SelectorExpr:
			s := r.info.Selections[e]
			if s == nil || s.Kind() != types.FieldVal || len(s.Index()) > 1 && s.Indirect() {
				return nil, false // a method, or a field promoted through an embedded pointer
			}
			if _, ptr := types.Unalias(r.info.TypeOf(e.X)).Underlying().(*types.Pointer); ptr {
				guards = append([]string{types.ExprString(e.X) + " != nil"}, guards...)
			}
			x = e.X
		case *ast.Ident:
			v, isVar := r.info.Uses[e].(*types.Var)
			return guards, isVar && (v.Pos() < body.Pos() || v.Pos() >= body.End())
		default:
			return nil, false
		}
	}
}

func (r *fileRewriter) importSpec(spec *ast.ImportSpec) {
	path, err := strconv.Unquote(spec.Path.Value)
	if err != nil || path != "sync" {
		return
	}
	if spec.Name != nil && spec.Name.Name == "_" {
		return
	}
	r.replace(spec.Path, func() string {
		if spec.Name != nil && spec.Name.Name == "." {
			// detect's own exported names would be dot-imported too.
			return strconv.Quote(SyncAPIPath)
		}
		q := strconv.Quote(DetectPath)
		if spec.Name == nil {
			return "sync " + q
		}
		return q
	})
}

// addImports adds the imports the edits need, on the line of the package
// clause so that no line moves.
func (r *fileRewriter) addImports() {
	var specs []string
	if r.cwUsed && !r.cwImported {
		specs = append(specs, r.cw+" "+strconv.Quote(ChanwatchPath))
	}
	if r.detectUsed {
		specs = append(specs, r.detect+" "+strconv.Quote(DetectPath))
	}
	paths := make([]string, 0, len(r.extraImports))
	for p := range r.extraImports {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		specs = append(specs, r.extraImports[p]+" "+strconv.Quote(p))
	}
	if len(specs) == 0 {
		return
	}
	name := r.file.Name
	r.replace(name, func() string {
		return name.Name + "; import (" + strings.Join(specs, "; ") + ")"
	})
}

// useCW returns "chanwatch." (the file's name for it) and notes the import.
func (r *fileRewriter) useCW() string {
	r.cwUsed = true
	return r.cw + "."
}

// chanType returns the channel type of e (its core type), or nil.
func (r *fileRewriter) chanType(e ast.Expr) *types.Chan {
	t := r.info.TypeOf(e)
	if t == nil {
		return nil
	}
	c, _ := coreType(t).(*types.Chan)
	return c
}

// coreType returns the underlying type of t, or for a type parameter the
// single underlying type of its type set (channel directions merged as Go
// does), or nil.
func coreType(t types.Type) types.Type {
	tp, ok := types.Unalias(t).(*types.TypeParam)
	if !ok {
		return t.Underlying()
	}
	iface, _ := tp.Underlying().(*types.Interface)
	if iface == nil {
		return nil
	}
	var core *types.Chan
	var other types.Type
	n := 0
	for term := range typeSetTerms(iface) {
		n++
		u := term.Underlying()
		c, ok := u.(*types.Chan)
		if !ok {
			other = u
			continue
		}
		if core == nil {
			core = c
			continue
		}
		if !types.Identical(core.Elem(), c.Elem()) {
			return nil
		}
		if core.Dir() != c.Dir() {
			if core.Dir() != types.SendRecv && c.Dir() != types.SendRecv {
				return nil
			}
			if core.Dir() == types.SendRecv {
				core = c
			}
		}
	}
	if n == 0 {
		return nil
	}
	if other != nil {
		if core != nil || n > 1 {
			return nil
		}
		return other
	}
	return core
}

// typeSetTerms yields the types of the union terms of iface's type set (for
// a constraint such as ~chan int | chan<- int).
func typeSetTerms(iface *types.Interface) func(func(types.Type) bool) {
	return func(yield func(types.Type) bool) {
		for i := range iface.NumEmbeddeds() {
			switch e := iface.EmbeddedType(i).(type) {
			case *types.Union:
				for j := range e.Len() {
					if !yield(e.Term(j).Type()) {
						return
					}
				}
			case *types.Interface:
				for t := range typeSetTerms(e) {
					if !yield(t) {
						return
					}
				}
			default:
				if !yield(e) {
					return
				}
			}
		}
	}
}

// commaOK notes a receive used in the v, ok := <-ch form. The ok operand
// must take a bool for chanwatch.Recv2 to fit; otherwise the receive stays
// native.
func (r *fileRewriter) commaOK(rhs, okExpr ast.Expr) {
	u, ok := ast.Unparen(rhs).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return
	}
	if id, ok := okExpr.(*ast.Ident); ok && id.Name == "_" {
		r.recv2[u] = true
		return
	}
	if t := r.info.TypeOf(okExpr); t != nil && types.Identical(t, types.Typ[types.Bool]) {
		r.recv2[u] = true
		return
	}
	r.skip[u] = true
	if r.chans {
		r.warn(u.Pos(), "receive left native: its ok operand is not of type bool")
	}
}

func (r *fileRewriter) recv(u *ast.UnaryExpr) {
	if r.chanType(u.X) == nil {
		return
	}
	fn := "Recv("
	if r.recv2[u] {
		fn = "Recv2("
	}
	cw := r.useCW()
	r.replace(u, func() string {
		return cw + fn + r.text(u.OpPos+2, u.X.Pos()) + r.src(u.X) + ")"
	})
}

// isUntypedOrConst reports whether value e needs no temporary: a constant
// or nil.
func (r *fileRewriter) isConstOrNil(e ast.Expr) bool {
	tv, ok := r.info.Types[e]
	return ok && (tv.Value != nil || tv.IsNil())
}

// maybeUntyped reports whether e may be an untyped non-constant value (a
// comparison, a shift of a constant, a logical operation on those), whose
// type comes from where it is used.
func maybeUntyped(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.BinaryExpr:
		switch e.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.SHL, token.SHR:
			return true
		case token.LAND, token.LOR:
			return maybeUntyped(e.X) || maybeUntyped(e.Y)
		}
		return maybeUntyped(e.X) || maybeUntyped(e.Y)
	case *ast.UnaryExpr:
		return e.Op != token.ARROW && e.Op != token.AND && maybeUntyped(e.X)
	}
	return false
}

// send rewrites ch <- v as chanwatch.fn(ch, v), fn Send or SendRecovered.
func (r *fileRewriter) send(s *ast.SendStmt, fn string) {
	ct := r.chanType(s.Chan)
	if ct == nil {
		return
	}
	inst := ""
	vt := r.info.TypeOf(s.Value)
	if !r.isConstOrNil(s.Value) && (vt == nil || !types.Identical(vt, ct.Elem())) {
		name, ok := r.typeName(ct.Elem(), s.Pos())
		if !ok {
			r.warn(s.Pos(), "send left native: cannot name element type %s here", ct.Elem())
			return
		}
		inst = "[" + name + "]"
	}
	cw := r.useCW()
	r.replace(s, func() string {
		return cw + fn + inst + "(" + r.src(s.Chan) + "," + r.text(s.Chan.End(), s.Arrow) + r.text(s.Arrow+2, s.Value.Pos()) + r.src(s.Value) + ")"
	})
}

// closeCall rewrites close(ch) as chanwatch.Close(ch), and the statement
// defer close(ch) as defer chanwatch.DeferClose(ch)(), which records when
// the defer runs that the goroutine will close ch (ch is evaluated once,
// at the defer, as before).
func (r *fileRewriter) closeCall(c *ast.CallExpr, stack []ast.Node) {
	if len(c.Args) != 1 || calleeObj(r.info, c.Fun) != types.Universe.Lookup("close") || r.chanType(c.Args[0]) == nil {
		return
	}
	cw := r.useCW()
	if d, ok := stack[len(stack)-1].(*ast.DeferStmt); ok && d.Call == c {
		r.replace(c, func() string { return cw + "DeferClose" + r.text(c.Lparen, c.Rparen+1) + "()" })
		return
	}
	fn := "Close"
	if r.recovers(stack) {
		fn = "CloseRecovered"
	}
	r.replace(c.Fun, func() string { return cw + fn })
}

// recovers reports whether the function whose body holds the node at the
// end of stack (not a function literal inside it) recovers panics: one of
// its top-level statements defers a function literal that calls recover.
// A send or close there may panic on purpose ("send unless closed"): it is
// rewritten to chanwatch's Recovered variant, which does not report the
// misuse.
func (r *fileRewriter) recovers(stack []ast.Node) bool {
	var body *ast.BlockStmt
	for i := len(stack) - 1; i >= 0 && body == nil; i-- {
		switch f := stack[i].(type) {
		case *ast.FuncLit:
			body = f.Body
		case *ast.FuncDecl:
			body = f.Body
		}
	}
	if body == nil {
		return false
	}
	if v, ok := r.recovering[body]; ok {
		return v
	}
	found := false
	for _, st := range body.List {
		d, ok := st.(*ast.DeferStmt)
		if !ok {
			continue
		}
		lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
		if !ok {
			continue
		}
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // recover works only in the deferred function itself
			case *ast.CallExpr:
				if calleeObj(r.info, n.Fun) == types.Universe.Lookup("recover") {
					found = true
				}
			}
			return !found
		})
	}
	if r.recovering == nil {
		r.recovering = map[*ast.BlockStmt]bool{}
	}
	r.recovering[body] = found
	return found
}

func (r *fileRewriter) rangeStmt(s *ast.RangeStmt) {
	if r.chanType(s.X) == nil || r.rangeLoop(s) {
		return
	}
	if !r.rangeOK {
		r.warn(s.Pos(), "range over channel left native: the file's Go version is before go1.23")
		return
	}
	cw := r.useCW()
	r.ed.add(r.off(s.Range), r.off(s.X.End()), func() string {
		return "range " + r.text(s.Range+5, s.X.Pos()) + cw + "Range(" + r.src(s.X) + ")"
	})
}

// testingRun rewrites m.Run() on a *testing.M into detect.RunTests(m).
func (r *fileRewriter) testingRun(c *ast.CallExpr) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Run" || len(c.Args) != 0 {
		return
	}
	if r.typed {
		s := r.info.Selections[sel]
		if s == nil || s.Kind() != types.MethodVal {
			return
		}
		if f, ok := s.Obj().(*types.Func); !ok || f.FullName() != "(*testing.M).Run" {
			return
		}
	} else if !r.isTestMainParam(sel.X) {
		return
	}
	r.detectUsed = true
	r.replace(c, func() string {
		return r.detect + ".RunTests(" + r.src(sel.X) + ")"
	})
}

// isTestMainParam reports (without type information) whether x is the
// parameter of the file's TestMain.
func (r *fileRewriter) isTestMainParam(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	if !ok {
		return false
	}
	for _, d := range r.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "TestMain" || fd.Recv != nil || fd.Body == nil || len(fd.Type.Params.List) != 1 || len(fd.Type.Params.List[0].Names) != 1 {
			continue
		}
		return fd.Body.Pos() <= id.Pos() && id.End() <= fd.Body.End() && fd.Type.Params.List[0].Names[0].Name == id.Name
	}
	return false
}

// markComms marks the communications of a select's cases: the select
// rewrite handles them, or they stay native with it.
func (r *fileRewriter) markComms(s *ast.SelectStmt) {
	for _, st := range s.Body.List {
		cc := st.(*ast.CommClause)
		switch c := cc.Comm.(type) {
		case *ast.SendStmt:
			r.skip[c] = true
		case *ast.ExprStmt:
			r.skip[ast.Unparen(c.X)] = true
		case *ast.AssignStmt:
			r.skip[ast.Unparen(c.Rhs[0])] = true
		}
	}
}
