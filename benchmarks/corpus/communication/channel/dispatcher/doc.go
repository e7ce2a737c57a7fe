// Package dispatcher is a worker pool. Run starts the workers, feeds them
// the jobs and collects the results, but never closes the jobs channel, so
// after the last job every worker stays blocked forever in its range loop
// over the channel (a goroutine leak after Run returns). The fix closes the
// jobs channel once all jobs are sent.
//
// corpus:category communication/channel
// corpus:frames (*Pool).worker (*Pool).Run
package dispatcher
