// Package sessionexpire is a session manager whose Touch, when it finds an
// expired session, calls the public Expire method, which locks the manager
// again. A janitor goroutine started by the constructor also expires
// sessions. The hang needs a session to expire between two touches, so it
// depends on timing. The fix calls an expireLocked helper.
//
// corpus:category resource/double-lock
// corpus:frames (*Manager).Touch (*Manager).Expire
package sessionexpire
