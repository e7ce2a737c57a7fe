// Package skippedjobs runs a batch of scheduled jobs. RunBatch calls
// wg.Add(len(jobs)) up front and then skips disabled jobs with continue,
// so the counter never reaches zero when a job is disabled and wg.Wait
// blocks forever. Jobs are disabled at random. The fix calls wg.Add(1) per
// started job.
//
// corpus:category mixed/waitgroup-misuse
// corpus:frames RunBatch
package skippedjobs
