package transfer

import (
	"errors"
	"math/rand"
	"sync"
	"time"
)

// checkLimits stands for a call to the fraud/limits service.
func checkLimits(a *Account, amount int) {
	if rand.Intn(10) == 0 {
		time.Sleep(time.Duration(rand.Intn(100)) * time.Microsecond)
	}
}

var ErrInsufficient = errors.New("insufficient funds")

type Account struct {
	mu      sync.Mutex
	ID      int
	Balance int
}

func Transfer(from, to *Account, amount int) error {
	from.mu.Lock()
	defer from.mu.Unlock()
	checkLimits(from, amount)
	to.mu.Lock() // BUG: lock order depends on the argument order.
	defer to.mu.Unlock()
	if from.Balance < amount {
		return ErrInsufficient
	}
	from.Balance -= amount
	to.Balance += amount
	return nil
}

type Payment struct {
	From, To *Account
	Amount   int
}

type Ledger struct{ failed int }

// Settle applies a batch of payments.
func (l *Ledger) Settle(batch []Payment) {
	for _, p := range batch {
		if err := Transfer(p.From, p.To, p.Amount); err != nil {
			l.failed++
		}
	}
}

func FixedTransfer(from, to *Account, amount int) error {
	first, second := from, to
	if second.ID < first.ID {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	checkLimits(from, amount)
	second.mu.Lock()
	defer second.mu.Unlock()
	if from.Balance < amount {
		return ErrInsufficient
	}
	from.Balance -= amount
	to.Balance += amount
	return nil
}

type FixedLedger struct{ failed int }

func (l *FixedLedger) Settle(batch []Payment) {
	for _, p := range batch {
		if err := FixedTransfer(p.From, p.To, p.Amount); err != nil {
			l.failed++
		}
	}
}
