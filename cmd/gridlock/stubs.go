package main

import "io"

func runTest(args []string, stdout, stderr io.Writer) error   { return nil }
func runReport(args []string, stdout, stderr io.Writer) error { return nil }
func version() string                                         { return "devel" }
