// Command abba transfers money between two accounts, each locking both
// accounts: one in the order from, to. Transfers in both directions take the
// two locks in opposite orders: a lock-order inversion (AB-BA) that hangs only
// when two opposite transfers interleave badly. Run with -fixed for the
// version that always locks the account with the lower id first.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	id      int
	balance int
}

// Transfer moves amount from a to b, locking a then b.
func Transfer(from, to *Account, amount int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

// TransferOrdered moves amount from a to b, locking by account id.
func TransferOrdered(from, to *Account, amount int) {
	first, second := from, to
	if second.id < first.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

func run(fixed bool) (int, int) {
	alice, bob := &Account{id: 1, balance: 100}, &Account{id: 2, balance: 100}
	transfer := Transfer
	if fixed {
		transfer = TransferOrdered
	}
	// Sequential: this run never hangs, but the order is inverted.
	transfer(alice, bob, 10)
	transfer(bob, alice, 5)
	return alice.balance, bob.balance
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	a, b := run(*fixed)
	fmt.Println("balances:", a, b)
}
