module github.com/gridlock-go/gridlock/benchmarks

go 1.26.0

require github.com/gridlock-go/gridlock v0.0.0

require (
	github.com/petermattis/goid v0.0.0-20261109124353-7cfa343ad0ab // indirect
	github.com/sasha-s/go-deadlock v0.3.9 // indirect
	go.uber.org/goleak v1.3.0 // indirect
)

replace github.com/gridlock-go/gridlock => ../
