module github.com/gridlock-go/gridlock/benchmarks

go 1.26.0

require (
	github.com/gridlock-go/gridlock v0.0.0
	github.com/sasha-s/go-deadlock v0.3.9
	go.uber.org/goleak v1.3.0
)

require (
	github.com/google/pprof v0.0.0-20261105003125-4bf881d7fb0b // indirect
	github.com/petermattis/goid v0.0.0-20261109124353-7cfa343ad0ab // indirect
	go.uber.org/multierr v1.10.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
)

replace github.com/gridlock-go/gridlock => ../
