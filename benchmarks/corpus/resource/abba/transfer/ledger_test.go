package transfer

import (
	"sync"
	"testing"
)

func batches() ([]Payment, []Payment) {
	alice := &Account{ID: 1, Balance: 1000}
	bob := &Account{ID: 2, Balance: 1000}
	var ab, ba []Payment
	for i := 0; i < 500; i++ {
		ab = append(ab, Payment{From: alice, To: bob, Amount: 1})
		ba = append(ba, Payment{From: bob, To: alice, Amount: 1})
	}
	return ab, ba
}

func TestBug(t *testing.T) {
	ab, ba := batches()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); new(Ledger).Settle(ab) }()
	go func() { defer wg.Done(); new(Ledger).Settle(ba) }()
	wg.Wait()
}

func TestFixed(t *testing.T) {
	ab, ba := batches()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); new(FixedLedger).Settle(ab) }()
	go func() { defer wg.Done(); new(FixedLedger).Settle(ba) }()
	wg.Wait()
}
