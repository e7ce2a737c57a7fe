package report

import (
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Log writes r as one zap entry at Error level. The message is
// "gridlock: <kind>" and the fields are those of the JSON report form:
// kind, id, summary, count, test, wait_ns, goroutines, edges, objects,
// stacks and notes.
func Log(l *zap.Logger, r *Report) {
	fields := []zap.Field{
		zap.String("kind", string(r.Kind)),
		zap.String("id", r.ID),
		zap.String("summary", r.Summary),
		zap.Int("count", r.Count),
	}
	if r.Test != "" {
		fields = append(fields, zap.String("test", r.Test))
	}
	if r.Wait > 0 {
		fields = append(fields, zap.Int64("wait_ns", int64(r.Wait)))
	}
	if len(r.Goroutines) > 0 {
		fields = append(fields, zap.Array("goroutines", arr(r.Goroutines, marshalGoroutine)))
	}
	if len(r.Edges) > 0 {
		fields = append(fields, zap.Array("edges", arr(r.Edges, marshalEdge)))
	}
	if len(r.Objects) > 0 {
		fields = append(fields, zap.Array("objects", arr(r.Objects, marshalObject)))
	}
	if len(r.Stacks) > 0 {
		fields = append(fields, zap.Array("stacks", arr(r.Stacks, func(e zapcore.ObjectEncoder, l Labelled) {
			e.AddString("label", l.Label)
			e.AddArray("stack", stackArr(l.Stack))
		})))
	}
	if len(r.Notes) > 0 {
		fields = append(fields, zap.Strings("notes", r.Notes))
	}
	l.Error("gridlock: "+string(r.Kind), fields...)
}

type arrayFunc func(zapcore.ArrayEncoder) error

func (f arrayFunc) MarshalLogArray(e zapcore.ArrayEncoder) error { return f(e) }

type objectFunc func(zapcore.ObjectEncoder) error

func (f objectFunc) MarshalLogObject(e zapcore.ObjectEncoder) error { return f(e) }

func arr[T any](items []T, each func(zapcore.ObjectEncoder, T)) zapcore.ArrayMarshaler {
	return arrayFunc(func(e zapcore.ArrayEncoder) error {
		for _, it := range items {
			e.AppendObject(objectFunc(func(oe zapcore.ObjectEncoder) error {
				each(oe, it)
				return nil
			}))
		}
		return nil
	})
}

func stackArr(s Stack) zapcore.ArrayMarshaler {
	return arr(s, func(e zapcore.ObjectEncoder, f Frame) {
		e.AddString("function", f.Function)
		e.AddString("file", f.File)
		e.AddInt("line", f.Line)
	})
}

func marshalGoroutine(e zapcore.ObjectEncoder, g Goroutine) {
	e.AddInt64("id", g.ID)
	e.AddString("state", g.State)
	if g.WaitsFor != "" {
		e.AddString("waits_for", g.WaitsFor)
	}
	if g.Waited > 0 {
		e.AddInt64("waited_ns", int64(g.Waited))
	}
	if len(g.WaitStack) > 0 {
		e.AddArray("wait_stack", stackArr(g.WaitStack))
	}
	if len(g.Holds) > 0 {
		e.AddArray("holds", arr(g.Holds, func(e zapcore.ObjectEncoder, h Held) {
			e.AddString("object", h.Object)
			e.AddString("mode", h.Mode)
			e.AddArray("stack", stackArr(h.Stack))
		}))
	}
	if len(g.Stack) > 0 {
		e.AddArray("stack", stackArr(g.Stack))
	}
	if len(g.CreatedBy) > 0 {
		e.AddArray("created_by", stackArr(g.CreatedBy))
	}
	if g.Note != "" {
		e.AddString("note", g.Note)
	}
}

func marshalEdge(e zapcore.ObjectEncoder, ed Edge) {
	e.AddString("from", ed.From)
	e.AddString("to", ed.To)
	e.AddInt64("goroutine", ed.Goroutine)
	e.AddArray("from_stack", stackArr(ed.FromStack))
	e.AddArray("to_stack", stackArr(ed.ToStack))
}

func marshalObject(e zapcore.ObjectEncoder, o Object) {
	e.AddString("name", o.Name)
	e.AddString("type", o.Type)
	if o.Site != "" {
		e.AddString("site", o.Site)
	}
	if o.Type == "chan" {
		e.AddInt("len", o.Len)
		e.AddInt("cap", o.Cap)
	}
}
