package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// A select statement
//
//	L: select {
//	case v, ok := <-c0:  body0
//	case c1 <- f():      body1
//	}
//
// becomes (on the line of the select, so that the bodies keep their lines)
//
//	{ c0 := c0; c1 := c1; var v1 T = f(); var r0 T0; var ok0 bool; i := -1
//	  CheckSend(c1) // for each send case
//	  select { case r0, ok0 = <-c0: i = 0; Selected(RecvOp(c0)) ...; default: }
//	  if i < 0 { w := Block(RecvOp(c0), SendOp(c1)); select { same cases }; w.Done(i) }
//	  L: switch i { case 0: v, ok := r0, ok0; body0
//	  default: body1 }}
//
// The operands are evaluated once, in source order, before choosing, as Go
// does. The last case becomes the switch's default so that a select that
// was a terminating statement still is one. A label moves to the switch,
// so break L keeps working; when goto L exists the label stays on the
// block and break L gets a label of its own.

type selCase struct {
	clause *ast.CommClause
	send   bool
	ch     ast.Expr
	val    ast.Expr   // send value
	lhs    []ast.Expr // receive assignment operands
	tok    token.Token
	// generated names and declarations
	c, v, vType, rv, okv string
}

func (r *fileRewriter) selectStmt(s *ast.SelectStmt, label *ast.LabeledStmt, recovers bool) {
	var cases []*selCase
	var dflt *ast.CommClause
	for _, st := range s.Body.List {
		cc := st.(*ast.CommClause)
		if cc.Comm == nil {
			dflt = cc
			continue
		}
		sc := &selCase{clause: cc}
		switch c := cc.Comm.(type) {
		case *ast.SendStmt:
			sc.send, sc.ch, sc.val = true, c.Chan, c.Value
		case *ast.ExprStmt:
			sc.ch = ast.Unparen(c.X).(*ast.UnaryExpr).X
		case *ast.AssignStmt:
			sc.ch = ast.Unparen(c.Rhs[0]).(*ast.UnaryExpr).X
			sc.lhs, sc.tok = c.Lhs, c.Tok
		}
		cases = append(cases, sc)
	}
	if len(cases) == 0 && dflt != nil {
		return // no communication
	}
	start := s.Pos()
	if label != nil {
		start = label.Pos()
	}
	if len(cases) == 0 {
		cw := r.useCW()
		r.ed.add(r.off(start), r.off(s.End()), func() string {
			sel := "select " + r.text(s.Body.Lbrace, s.End())
			if label == nil {
				return "{ " + cw + "Block(); " + sel + " }"
			}
			return r.text(label.Pos(), label.Colon+1) + r.text(label.Colon+1, s.Pos()) + "{ " + cw + "Block(); " + sel + " }"
		})
		return
	}

	r.nsel++
	id := fmt.Sprintf("%s%d", r.pfx, r.nsel)
	pos := s.Pos()
	var decls []string // declarations of the received-value temporaries
	for k, sc := range cases {
		ct := r.chanType(sc.ch)
		if ct == nil {
			return
		}
		sc.c = fmt.Sprintf("%sc%d", id, k)
		if sc.send {
			switch {
			case r.isConstOrNil(sc.val):
				// inlined: no side effect, no evaluation order
			default:
				sc.v = fmt.Sprintf("%sv%d", id, k)
				if name, ok := r.typeName(ct.Elem(), pos); ok {
					sc.vType = name
				} else if vt := r.info.TypeOf(sc.val); vt == nil || !types.Identical(vt, ct.Elem()) || maybeUntyped(sc.val) {
					r.warn(s.Pos(), "select left native: cannot name element type %s here", ct.Elem())
					return
				}
			}
			continue
		}
		if len(sc.lhs) > 0 && !isBlank(sc.lhs[0]) {
			sc.rv = fmt.Sprintf("%sr%d", id, k)
			if name, ok := r.typeName(ct.Elem(), pos); ok {
				decls = append(decls, "var "+sc.rv+" "+name)
			} else {
				// A zero value of the element type without naming it: a
				// non-blocking receive from a nil channel of the same type.
				z := fmt.Sprintf("%sz%d", id, k)
				decls = append(decls, z+" := "+sc.c+"; "+z+" = nil; "+sc.rv+", _, _ := "+r.useCW()+"TryRecv("+z+")")
			}
		}
		if len(sc.lhs) == 2 && !isBlank(sc.lhs[1]) {
			sc.okv = fmt.Sprintf("%sok%d", id, k)
			okType := "bool"
			if sc.tok == token.ASSIGN {
				t := r.info.TypeOf(sc.lhs[1])
				if t == nil {
					return
				}
				if !types.Identical(t, types.Typ[types.Bool]) {
					name, ok := r.typeName(t, pos)
					if !ok {
						r.warn(s.Pos(), "select left native: cannot name type %s here", t)
						return
					}
					okType = name
				}
			}
			if okType == "bool" && !r.resolves("bool", types.Universe.Lookup("bool"), pos) {
				return
			}
			decls = append(decls, "var "+sc.okv+" "+okType)
		}
	}

	// Labels: with no goto to the label, it moves to the switch. With a
	// goto, it stays in front of the block and break L targets a new label
	// on the switch.
	swLabel := ""
	keepLabel := false
	if label != nil {
		lobj, _ := r.info.Defs[label.Label].(*types.Label)
		var breaks []*ast.BranchStmt
		gotos := false
		for _, b := range r.labelUses(lobj) {
			if b.Tok == token.GOTO {
				gotos = true
			} else {
				breaks = append(breaks, b)
			}
		}
		if !gotos {
			swLabel = label.Label.Name
		} else {
			keepLabel = true
			if len(breaks) > 0 {
				swLabel = id + "L"
				for _, b := range breaks {
					r.replace(b.Label, func() string { return swLabel })
				}
			}
		}
	}

	cw := r.useCW()
	iv := id + "i"
	op := func(sc *selCase) string {
		if sc.send {
			return cw + "SendOp(" + sc.c + ")"
		}
		return cw + "RecvOp(" + sc.c + ")"
	}
	comm := func(sc *selCase) string {
		if sc.send {
			v := sc.v
			if v == "" {
				return sc.c + " <- " + r.src(sc.val)
			}
			return sc.c + " <- " + v
		}
		var lhs []string
		if sc.rv != "" {
			lhs = append(lhs, sc.rv)
		} else if len(sc.lhs) > 0 {
			lhs = append(lhs, "_")
		}
		if len(sc.lhs) == 2 {
			if sc.okv != "" {
				lhs = append(lhs, sc.okv)
			} else {
				lhs = append(lhs, "_")
			}
		}
		if len(lhs) == 0 || (len(lhs) == 1 && lhs[0] == "_") {
			return "<-" + sc.c
		}
		if len(lhs) == 2 && lhs[0] == "_" && lhs[1] == "_" {
			return "<-" + sc.c
		}
		return strings.Join(lhs, ", ") + " = <-" + sc.c
	}

	r.ed.add(r.off(start), r.off(s.End()), func() string {
		w := newLineWriter(r.fset, start, r.mode.LineDirectives)
		if label != nil && keepLabel {
			w.WriteString(r.text(label.Pos(), label.Colon+1))
		}
		if label != nil {
			w.WriteString(r.text(label.Colon+1, s.Pos()))
		}
		w.WriteString("{ ")
		// Operands, in source order.
		for _, sc := range cases {
			w.WriteString(sc.c + " := " + r.src(sc.ch) + "; ")
			if sc.send && sc.v != "" {
				if sc.vType != "" {
					w.WriteString("var " + sc.v + " " + sc.vType + " = " + r.src(sc.val) + "; ")
				} else {
					w.WriteString(sc.v + " := " + r.src(sc.val) + "; ")
				}
			}
		}
		for _, d := range decls {
			w.WriteString(d + "; ")
		}
		// A send case on a closed channel panics when picked: reported
		// before the select (unless the function recovers: see recovers).
		for _, sc := range cases {
			if sc.send && !recovers {
				w.WriteString(cw + "CheckSend(" + sc.c + "); ")
			}
		}
		w.WriteString(iv + " := -1; select { ")
		for k, sc := range cases {
			fmt.Fprintf(w, "case %s: %s = %d; %sSelected(%s); ", comm(sc), iv, k, cw, op(sc))
		}
		w.WriteString("default: }; ")
		if dflt == nil {
			ops := make([]string, len(cases))
			for k, sc := range cases {
				ops[k] = op(sc)
			}
			fmt.Fprintf(w, "if %s < 0 { %sw := %sBlock(%s); select { ", iv, id, cw, strings.Join(ops, ", "))
			for k, sc := range cases {
				fmt.Fprintf(w, "case %s: %s = %d; ", comm(sc), iv, k)
			}
			fmt.Fprintf(w, "}; %sw.Done(%s) }; ", id, iv)
		}
		if swLabel != "" {
			w.WriteString(swLabel + ": ")
		}
		w.WriteString("switch " + iv + " {")
		prev := s.Body.Lbrace + 1
		k := 0
		for _, st := range s.Body.List {
			cc := st.(*ast.CommClause)
			w.WriteString(r.text(prev, cc.Case))
			if cc.Comm == nil {
				w.WriteString("default:")
			} else {
				sc := cases[k]
				if dflt == nil && k == len(cases)-1 {
					w.WriteString("default:")
				} else {
					fmt.Fprintf(w, "case %d:", k)
				}
				if a := r.assign(sc); a != "" {
					w.WriteString(" " + a + ";")
				}
				k++
			}
			w.sync(cc.Colon + 1)
			w.WriteString(r.text(cc.Colon+1, cc.End()))
			prev = cc.End()
		}
		w.WriteString(r.text(prev, s.Body.Rbrace))
		w.WriteString("}}")
		w.sync(s.End())
		return w.String()
	})
}

// assign is the assignment a receive case makes from the temporaries, as
// in the original case: v, ok := r0, ok0.
func (r *fileRewriter) assign(sc *selCase) string {
	if sc.send || len(sc.lhs) == 0 {
		return ""
	}
	var lhs, rhs []string
	for i, e := range sc.lhs {
		if isBlank(e) {
			continue
		}
		lhs = append(lhs, r.src(e))
		if i == 0 {
			rhs = append(rhs, sc.rv)
		} else {
			rhs = append(rhs, sc.okv)
		}
	}
	if len(lhs) == 0 {
		return ""
	}
	return strings.Join(lhs, ", ") + " " + sc.tok.String() + " " + strings.Join(rhs, ", ")
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// labelUses returns the branch statements of the file that refer to l.
func (r *fileRewriter) labelUses(l *types.Label) []*ast.BranchStmt {
	if r.branches == nil {
		r.branches = map[*types.Label][]*ast.BranchStmt{}
		ast.Inspect(r.file, func(n ast.Node) bool {
			if b, ok := n.(*ast.BranchStmt); ok && b.Label != nil {
				if lo, ok := r.info.Uses[b.Label].(*types.Label); ok {
					r.branches[lo] = append(r.branches[lo], b)
				}
			}
			return true
		})
	}
	return r.branches[l]
}
