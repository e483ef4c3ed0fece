// Package importers turns public threat-actor catalogues into graph facts: the MISP
// galaxy of threat actors (github.com/MISP/misp-galaxy, clusters/threat-actor.json) and
// the intrusion sets of MITRE ATT&CK's STIX bundles (enterprise-attack.json and its
// mobile and ICS siblings). They are cyberkg's reference knowledge of who the actors are,
// what else they are called and, where a catalogue says so, which state is suspected
// behind them.
//
// An import runs in three steps: a parser (MISPGalaxy, ATTACK) reads the catalogue into
// a graph.Batch in which every node and edge carries a Claim from the catalogue's Source;
// Prepare resolves that batch against the store; graph.Ingest writes it. Import ATT&CK
// before MISP: the first node to hold a name keeps it, and ATT&CK splits the groups
// that MISP lumps together.
//
// What this package must never do:
//
//   - Turn location into sponsorship. A MISP cluster's "country" is where the actor is
//     thought to come from, not who directs it; only "cfr-suspected-state-sponsor" makes
//     a SPONSORED_BY edge, and that edge is hedged, because the catalogue says
//     "suspected". ATT&CK has no structured sponsor field, and prose descriptions are
//     never mined for one.
//   - Guess a state. Sponsor names outside the table in states.go are counted in the
//     Report and skipped, never matched loosely.
//   - Merge two distinct actors. Catalogues list overlapping names (MISP files APT38 and
//     Andariel as synonyms of Lazarus Group; ATT&CK keeps them apart). Prepare drops an
//     alias that already names another actor, in the store or earlier in the batch,
//     rather than let it pull two actors into one; graph.Ingest then never fails with
//     ECONFLICT on a prepared batch.
package importers
