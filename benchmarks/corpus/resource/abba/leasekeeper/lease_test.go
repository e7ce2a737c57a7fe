package leasekeeper

import (
	"math/rand"
	"testing"
	"time"
)

func exercise(k *Keeper) {
	defer k.Close()
	var live []*Lease
	for i := 0; i < 2000; i++ {
		live = append(live, k.Grant(i))
		if len(live) > 20 {
			j := rand.Intn(len(live))
			live[j].Revoke()
			live = append(live[:j], live[j+1:]...)
		}
		if i%100 == 0 {
			time.Sleep(200 * time.Microsecond)
		}
	}
}

func TestBug(t *testing.T) { exercise(NewKeeper(2 * time.Millisecond)) }

func TestFixed(t *testing.T) { exercise(NewFixedKeeper(2 * time.Millisecond)) }
