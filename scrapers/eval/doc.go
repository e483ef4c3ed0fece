// Package eval scores the extractor against gold files: hand-annotated reports in the
// format of the shared eval set (FORMAT.md), read by Load and compared with what
// extract returns by Score.
//
// Scoring follows FORMAT.md's "Scoring" section: names compared case-insensitively
// after trimming punctuation, white space and a leading "the"; entities matched by
// name or mention within one type; relations by type and both endpoints; amounts by
// value within 1% and currency; optional relations neither hits nor false positives;
// negative relations false positives that are also listed on their own. Where a rule
// leaves a choice, the choice is written next to the code that makes it.
//
// It must never tune anything to the gold it reads, and never panic on a gold file:
// malformed input is an EINVALID error naming the file.
package eval
