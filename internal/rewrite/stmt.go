package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Channel statements (a receive or a send standing alone as a statement,
// v = <-ch, v, ok := <-ch, return <-ch, for v := range ch) become a select
// of one case written in the function that holds the statement, so that a
// goroutine blocked on it has that function on top of its stack, as
// without gridlock: goroutine dumps read the same, and
// goleak.IgnoreTopFunction still matches. On the statement's lines (a
// lineWriter keeps every token of user code on its line):
//
//	<-ch        { c := ch; s := RecvStmt(c); select { case <-c:
//	            default: w := s.Block(); <-c; w.End() } }
//	ch <- v     { c, x := ch, v; s := SendStmt(c); select { case c <- x: ... } }
//	v = <-ch    { c := ch; select { case v = <-c: ... default: ...; v = <-c; ... } }
//	v := <-ch   c := ch; v := StmtZero(c); { select { case v = <-c: ... } }
//	v, ok := <-ch   c := ch; x, y := StmtZero2(c); { select { case x, y = <-c: ... } }; v, ok := x, y
//	return <-ch { c := ch; x := StmtZero(c); select { case x = <-c: ... }; return x }
//	for v := range ch { body }
//	            for c := ch; ; { x, ok := StmtZero2(c); select { case x, ok = <-c: ... };
//	            if !ok { break }; v := x; { body } }
//
// (a fresh v per iteration, as since go1.22; v = x for for v = range ch).
// The operands are evaluated once, in the order Go gives the original
// (a send's channel and value in one assignment, as gc orders the send),
// before the communication. v, ok := <-ch receives into temporaries: it
// may redeclare v, which must keep its value until the receive. Only
// statements of a statement list qualify (not an if's or a for's own
// statement, not a labelled one), and only assignments to plain
// identifiers (an operand such as a[i()] or p.f is evaluated before the
// receive, where a select case would evaluate it after). Anything else
// keeps the call form (chanwatch.Recv, Send).
//
// A send that panics because its channel is closed while it blocks leaves
// its wait published (no defer can end it in the user's function); the
// watchdog ignores waits on closed channels (see Detector.waiters).

// inList reports whether n, a statement, is an element of a statement
// list: its parent (the top of stack) is a block or a clause body.
func inList(n ast.Stmt, stack []ast.Node) bool {
	if len(stack) == 0 {
		return false
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.BlockStmt:
		return true
	case *ast.CaseClause:
		return true
	case *ast.CommClause:
		return p.Comm != n
	}
	return false
}

// plainChan reports whether e is a channel whose type is not a type
// parameter (the helpers infer their element type from it).
func (r *fileRewriter) plainChan(e ast.Expr) bool {
	t := r.info.TypeOf(e)
	if t == nil {
		return false
	}
	_, ok := types.Unalias(t).Underlying().(*types.Chan)
	return ok
}

// stmtIDs are the names a rewritten statement uses: the chanwatch import
// (cw, with its dot) and its temporaries: the channel, the statement, its
// wait, a received value and ok.
type stmtIDs struct{ cw, c, s, w, v, ok string }

// newStmt returns fresh names for a statement about to be rewritten (and
// notes the chanwatch import: call it only once the rewrite is certain).
func (r *fileRewriter) newStmt() stmtIDs {
	r.nstmt++
	id := fmt.Sprintf("%ss%d", r.pfx, r.nstmt)
	return stmtIDs{cw: r.useCW(), c: id + "c", s: id + "s", w: id + "w", v: id + "v", ok: id + "ok"}
}

// stmtRecv returns the receive e when statement n, whose operand it is,
// can be rewritten: e is <-ch on a plain channel, not claimed by another
// rewrite, and n is in a statement list.
func (r *fileRewriter) stmtRecv(e ast.Expr, n ast.Stmt, stack []ast.Node) *ast.UnaryExpr {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW || r.skip[u] || !inList(n, stack) || !r.plainChan(u.X) {
		return nil
	}
	return u
}

// recvStmt rewrites <-ch standing alone as a statement. It reports whether
// it did.
func (r *fileRewriter) recvStmt(n *ast.ExprStmt, stack []ast.Node) bool {
	u := r.stmtRecv(n.X, n, stack)
	if u == nil {
		return false
	}
	r.skip[u] = true
	id := r.newStmt()
	r.replace(n, func() string { return r.recvText(n, u, id.c, id.oneCase("<-"+id.c, false), true) })
	return true
}

// recvText is the text that replaces statement n, whose receive u is on
// the channel held in c: c := <the channel>; then rest, each on the lines
// of the original (braced: in a block of its own).
func (r *fileRewriter) recvText(n ast.Node, u *ast.UnaryExpr, c, rest string, braced bool) string {
	lw := newLineWriter(r.fset, n.Pos(), r.mode.LineDirectives)
	if braced {
		lw.WriteString("{ ")
	}
	lw.sync(u.X.Pos())
	lw.WriteString(c + " := " + r.src(u.X) + "; ")
	lw.sync(u.OpPos)
	lw.WriteString(rest)
	lw.sync(n.End())
	if braced {
		lw.WriteString(" }")
	}
	return lw.String()
}

// recvAssign rewrites v = <-ch, v, ok = <-ch and their := forms. It
// reports whether it did.
func (r *fileRewriter) recvAssign(n *ast.AssignStmt, stack []ast.Node) bool {
	if len(n.Rhs) != 1 || (len(n.Lhs) != 1 && len(n.Lhs) != 2) || (n.Tok != token.ASSIGN && n.Tok != token.DEFINE) {
		return false
	}
	u := r.stmtRecv(n.Rhs[0], n, stack)
	if u == nil {
		return false
	}
	var lhs []string
	for _, e := range n.Lhs {
		id, ok := e.(*ast.Ident)
		if !ok {
			return false
		}
		lhs = append(lhs, id.Name)
	}
	if len(n.Lhs) == 2 && !r.recv2[u] {
		return false // an ok operand of another type than bool: stays native
	}
	r.skip[u] = true
	id := r.newStmt()
	if n.Tok == token.ASSIGN {
		assign := strings.Join(lhs, ", ") + " = <-" + id.c
		r.replace(n, func() string { return r.recvText(n, u, id.c, id.oneCase(assign, false), true) })
		return true
	}
	// v := <-ch declares v with its inferred type; v, ok := <-ch receives
	// into temporaries and declares v, ok after (it may redeclare v, which
	// keeps its value until the receive).
	var rest string
	if len(lhs) == 1 {
		rest = lhs[0] + " := " + id.cw + "StmtZero(" + id.c + "); { " + id.oneCase(lhs[0]+" = <-"+id.c, false) + " }"
	} else {
		tmp := id.v + ", " + id.ok
		rest = tmp + " := " + id.cw + "StmtZero2(" + id.c + "); { " + id.oneCase(tmp+" = <-"+id.c, false) + " }; " +
			strings.Join(lhs, ", ") + " := " + tmp
	}
	r.replace(n, func() string { return r.recvText(n, u, id.c, rest, false) })
	return true
}

// returnRecv rewrites return <-ch (a single result): the receive becomes a
// statement before the return. It reports whether it did.
func (r *fileRewriter) returnRecv(n *ast.ReturnStmt, stack []ast.Node) bool {
	if len(n.Results) != 1 {
		return false
	}
	u := r.stmtRecv(n.Results[0], n, stack)
	if u == nil {
		return false
	}
	r.skip[u] = true
	id := r.newStmt()
	r.replace(n, func() string {
		return r.recvText(n, u, id.c, id.v+" := "+id.cw+"StmtZero("+id.c+"); "+id.oneCase(id.v+" = <-"+id.c, false)+"; return "+id.v, true)
	})
	return true
}

// sendStmt rewrites ch <- v standing alone as a statement. It reports
// whether it did.
func (r *fileRewriter) sendStmt(s *ast.SendStmt, stack []ast.Node) bool {
	if !inList(s, stack) || !r.plainChan(s.Chan) {
		return false
	}
	// The value's temporary is declared with the element type unless the
	// value has exactly that type already.
	elem := ""
	if vt := r.info.TypeOf(s.Value); r.isConstOrNil(s.Value) || vt == nil || !types.Identical(vt, r.chanType(s.Chan).Elem()) || maybeUntyped(s.Value) {
		name, ok := r.typeName(r.chanType(s.Chan).Elem(), s.Pos())
		if !ok {
			return false
		}
		elem = name
	}
	id := r.newStmt()
	pre := ""
	if elem != "" {
		pre = "var " + id.v + " " + elem + "; "
	}
	r.replace(s, func() string {
		lw := newLineWriter(r.fset, s.Pos(), r.mode.LineDirectives)
		// c, x := ch, v: one assignment evaluates the operands in the
		// order gc gives the send itself (calls first, then variables).
		lw.WriteString("{ " + pre + id.c + ", " + id.v + " := " + r.src(s.Chan) + ", ")
		lw.sync(s.Value.Pos())
		lw.WriteString(r.src(s.Value) + "; ")
		lw.sync(s.Arrow)
		lw.WriteString(id.oneCase(id.c+" <- "+id.v, true) + " ")
		lw.sync(s.End())
		lw.WriteString("}")
		return lw.String()
	})
	return true
}

// oneCase is the statement's communication comm on its channel: recorded
// (chanwatch.SendStmt, RecvStmt), tried without blocking, else announced to
// gridlock and run blocking.
func (id stmtIDs) oneCase(comm string, send bool) string {
	start := id.cw + "RecvStmt(" + id.c + ")"
	if send {
		start = id.cw + "SendStmt(" + id.c + ")"
	}
	return id.s + " := " + start + "; select { case " + comm + ": default: " +
		id.w + " := " + id.s + ".Block(); " + comm + "; " + id.w + ".End() }"
}

// rangeLoop rewrites for v := range ch into a loop whose receive is a
// select of one case (see above). It reports whether it did.
func (r *fileRewriter) rangeLoop(s *ast.RangeStmt) bool {
	if s.Value != nil || !r.loopVarOK || !r.plainChan(s.X) {
		return false
	}
	var key *ast.Ident
	if s.Key != nil {
		id, ok := s.Key.(*ast.Ident)
		if !ok {
			return false // for a[i] = range ch: a and i are evaluated each iteration, before the receive
		}
		if id.Name != "_" {
			key = id
		}
	}
	id := r.newStmt()
	recv := "_, " + id.ok
	if key != nil {
		recv = id.v + ", " + id.ok
	}
	r.ed.add(r.off(s.For), r.off(s.Body.Lbrace), func() string {
		lw := newLineWriter(r.fset, s.For, r.mode.LineDirectives)
		lw.WriteString("for " + id.c + " := ")
		lw.sync(s.X.Pos())
		lw.WriteString(r.src(s.X) + "; ; { ")
		lw.sync(s.For)
		head := recv + " := " + id.cw + "StmtZero2(" + id.c + "); " +
			id.oneCase(recv+" = <-"+id.c, false) + "; if !" + id.ok + " { break }; "
		if key != nil {
			head += key.Name + " " + s.Tok.String() + " " + id.v + "; "
		}
		lw.WriteString(head)
		lw.sync(s.Body.Lbrace)
		return lw.String()
	})
	r.ed.add(r.off(s.Body.Rbrace)+1, r.off(s.Body.Rbrace)+1, func() string { return " }" })
	return true
}
