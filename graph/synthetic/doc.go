// Package synthetic generates realistic knowledge graphs at a chosen scale, for
// benchmarks and load tests: the real reference states, sectors and state-linked actors
// from graph/reference, generated actors hanging off them by sponsorship and membership,
// a pool of victim organisations, and any number of incidents from 2010 to 2025 (more of
// them recent), each with its victims and their sectors, its attributions (mostly one,
// some conflicting, some hedged), the amount stolen for thefts, and the reports that
// say so, every fact carrying a claim quoting "Synthetic report N says ...".
//
// The graph is a function of Options.Seed and Options.Incidents alone: the same options
// give the same facts whatever the batch size, in every run. Batches carry final IDs
// (those graph.Ingest would give), so they go to Store.Write as they are.
//
// It must never be loaded into a store that holds real reporting: every name and quote
// it writes is invented, and nothing marks a fact as synthetic but its source. Callers
// check the store is empty first (cyberkg bench refuses a store that is not).
package synthetic
