// Package extract turns the text of one report into facts: the threat actors, states,
// incidents, victims, sectors, amounts and dates it names, and the relations between
// them, each with the sentence that says so, who said it and how firmly.
//
// It reads sentence by sentence and prefers silence to a guess: a sentence that negates
// or scopes away an attribution ("no evidence links", "too early to say", "unlike the
// April hack") yields no attribution, and a hedge ("suspected", "likely") is never
// reported as a confirmation. It never touches a store or the network.
package extract
