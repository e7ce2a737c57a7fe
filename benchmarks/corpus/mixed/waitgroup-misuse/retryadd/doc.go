// Package retryadd uploads parts of an object in parallel with retries. The
// retry path calls wg.Add(1) again for the same part and retries inside
// the same goroutine, which still calls Done only once: after any retry the
// counter never reaches zero and Upload blocks forever in wg.Wait. Retries
// happen on random transient errors. The fix does not re-Add on retry.
//
// corpus:category mixed/waitgroup-misuse
// corpus:frames (*Uploader).uploadPart (*Uploader).Upload
package retryadd
