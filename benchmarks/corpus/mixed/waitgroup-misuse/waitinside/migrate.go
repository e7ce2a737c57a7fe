package waitinside

import (
	"sync"
	"sync/atomic"
)

type Migration struct {
	Steps     []string
	wg        sync.WaitGroup
	done      atomic.Int32
	committed bool
}

func (m *Migration) step(name string) {
	defer m.wg.Done()
	m.done.Add(1)
}

func (m *Migration) finalize() {
	defer m.wg.Done()
	m.wg.Wait() // BUG: waits for a group it belongs to
	m.committed = true
}

func (m *Migration) Run() bool {
	for _, s := range m.Steps {
		m.wg.Add(1)
		go m.step(s)
	}
	m.wg.Add(1)
	go m.finalize()
	m.wg.Wait()
	return m.committed
}

func (m *Migration) FixedRun() bool {
	for _, s := range m.Steps {
		m.wg.Add(1)
		go m.step(s)
	}
	m.wg.Wait()
	m.committed = true
	return m.committed
}
