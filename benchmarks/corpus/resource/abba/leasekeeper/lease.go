package leasekeeper

import (
	"math/rand"
	"sync"
	"time"
)

// notifyHolder stands for telling the lease holder over the network.
func notifyHolder(id int) {
	if rand.Intn(3) == 0 {
		time.Sleep(time.Duration(rand.Intn(50)) * time.Microsecond)
	}
}

type Lease struct {
	mu      sync.Mutex
	ID      int
	expires time.Time
	revoked bool
	keeper  *Keeper
}

type Keeper struct {
	mu     sync.Mutex
	ttl    time.Duration
	leases map[int]*Lease
	fixed  bool
	stop   chan struct{}
	done   chan struct{}
}

func newKeeper(ttl time.Duration, fixed bool) *Keeper {
	k := &Keeper{ttl: ttl, leases: map[int]*Lease{}, fixed: fixed, stop: make(chan struct{}), done: make(chan struct{})}
	go k.loop()
	return k
}

// NewKeeper has the lock-order bug.
func NewKeeper(ttl time.Duration) *Keeper { return newKeeper(ttl, false) }

// NewFixedKeeper returns a keeper whose leases revoke without the inversion.
func NewFixedKeeper(ttl time.Duration) *Keeper { return newKeeper(ttl, true) }

func (k *Keeper) loop() {
	defer close(k.done)
	t := time.NewTicker(k.ttl / 4)
	defer t.Stop()
	for {
		select {
		case <-k.stop:
			return
		case <-t.C:
			k.renewAll()
		}
	}
}

func (k *Keeper) renewAll() {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := time.Now()
	for _, l := range k.leases {
		l.mu.Lock() // keeper.mu -> lease.mu
		if !l.revoked {
			l.expires = now.Add(k.ttl)
		}
		l.mu.Unlock()
	}
}

func (k *Keeper) Grant(id int) *Lease {
	l := &Lease{ID: id, keeper: k, expires: time.Now().Add(k.ttl)}
	k.mu.Lock()
	k.leases[id] = l
	k.mu.Unlock()
	return l
}

func (k *Keeper) Close() { close(k.stop); <-k.done }

func (l *Lease) Revoke() {
	if l.keeper.fixed {
		l.keeper.mu.Lock()
		delete(l.keeper.leases, l.ID)
		l.keeper.mu.Unlock()
		l.mu.Lock()
		l.revoked = true
		notifyHolder(l.ID)
		l.mu.Unlock()
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.revoked = true
	notifyHolder(l.ID)
	l.keeper.mu.Lock() // BUG: lease.mu -> keeper.mu
	delete(l.keeper.leases, l.ID)
	l.keeper.mu.Unlock()
}
