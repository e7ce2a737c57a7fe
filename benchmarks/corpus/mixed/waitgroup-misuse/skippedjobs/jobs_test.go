package skippedjobs

import (
	"fmt"
	"math/rand"
	"testing"
)

func batch() []Job {
	var jobs []Job
	for i := 0; i < 6; i++ {
		jobs = append(jobs, Job{Name: fmt.Sprint("job-", i), Disabled: rand.Intn(10) == 0, Run: func() {}})
	}
	return jobs
}

func TestBug(t *testing.T) {
	for i := 0; i < 3; i++ {
		RunBatch(batch())
	}
}

func TestFixed(t *testing.T) {
	for i := 0; i < 3; i++ {
		FixedRunBatch(batch())
	}
}
