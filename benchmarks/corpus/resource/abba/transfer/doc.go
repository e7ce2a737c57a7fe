// Package transfer is a ledger that moves money between accounts. Transfer
// receives two *Account values and locks the source then the destination,
// so two concurrent transfers in opposite directions between the same pair
// deadlock (AB-BA through structs passed around). It hangs only when the two
// transfers overlap. The fix locks the two accounts in ID order.
//
// corpus:category resource/abba
// corpus:frames Transfer (*Ledger).Settle
package transfer
