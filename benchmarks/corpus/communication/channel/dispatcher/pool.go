package dispatcher

import "strings"

type Pool struct {
	Workers   int
	CloseJobs bool // the fix
}

func (p *Pool) worker(jobs <-chan string, results chan<- string) {
	for j := range jobs {
		results <- strings.ToUpper(j)
	}
}

func (p *Pool) Run(input []string) []string {
	jobs := make(chan string)
	results := make(chan string, len(input))
	for i := 0; i < p.Workers; i++ {
		go p.worker(jobs, results)
	}
	for _, in := range input {
		jobs <- in
	}
	if p.CloseJobs {
		close(jobs)
	} // BUG otherwise: workers block in range forever
	out := make([]string, 0, len(input))
	for range input {
		out = append(out, <-results)
	}
	return out
}
