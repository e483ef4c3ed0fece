package neo4j

import "slices"

// The data model in Neo4j:
//
//	(:Entity:<Kind> {id, kind, name, aliases, ..., claims, sources, confidence})
//	    one node per graph.Node; <Kind> is the label from labels. Claims, external IDs
//	    and the amount are JSON strings (they are read whole, never matched on), while
//	    sources (the IDs of the sources that report the node), confidence, kind, date and
//	    the dollar value stay plain properties so that hand-written Cypher can filter.
//	(:Entity)-[:<TYPE> {id, claims, sources, confidence, certainty}]->(:Entity)
//	    one relationship per graph.Edge; symmetric types are stored from the lower ID.
//	(:Alias {key, kind, name, owner, via})
//	    one node per name under which an entity can be found: name is the normalised
//	    name, via says whether it is the entity's name, an alias or a state's code, and
//	    owner is the entity's ID. For kinds that Ingest resolves by name the key is
//	    kind+"|"+name, so the unique constraint on key is what makes Resolve an index
//	    seek and a second owner impossible. Sources and amounts are found by name but not
//	    resolved by it (two articles may share a title, two thefts a sum), so their key
//	    also holds the owner.
//	(:AuditEntry {id, who, action, subjects, data})
//	    one node per graph.AuditEntry, data its JSON; not an Entity, so no traversal,
//	    count or search ever meets it.
//	(:WriteLock {name})
//	    taken by every write transaction before it reads, so that the read-merge-write
//	    in Go is serialisable among cyberkg writers (Neo4j reads are read-committed).
//
// Aliases point at their entity by property, not by relationship, so that no traversal
// can walk through them and degree counts stay those of the graph.

// EntitySchema is the part of the schema that entities and their aliases need: the
// unique keys that make each MERGE an index seek and Resolve exact, the alias indexes
// Search reads, and the entity indexes pages read. Every statement is idempotent. The
// Cypher export writes it at the head of its scripts, so Open on a copy finds it in place.
var EntitySchema = []string{
	`CREATE CONSTRAINT cyberkg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE`,
	`CREATE CONSTRAINT cyberkg_alias_key IF NOT EXISTS FOR (a:Alias) REQUIRE a.key IS UNIQUE`,
	// Deleting an entity deletes its aliases.
	`CREATE INDEX cyberkg_alias_owner IF NOT EXISTS FOR (a:Alias) ON (a.owner)`,
	// Search: CONTAINS on normalised names.
	`CREATE TEXT INDEX cyberkg_alias_name IF NOT EXISTS FOR (a:Alias) ON (a.name)`,
	// Search with typos: Lucene's fuzzy term queries on the words of names.
	`CREATE FULLTEXT INDEX cyberkg_alias_words IF NOT EXISTS FOR (a:Alias) ON EACH [a.name]`,
	// Keyset pages: entities by kind and name, incidents by date.
	`CREATE INDEX cyberkg_entity_kind_name IF NOT EXISTS FOR (n:Entity) ON (n.kind, n.name)`,
	`CREATE INDEX cyberkg_incident_date IF NOT EXISTS FOR (n:Incident) ON (n.date)`,
}

// schema is created by Open: EntitySchema, the write lock and the audit trail. Every
// statement is idempotent.
var schema = append(slices.Clip(EntitySchema),
	`CREATE CONSTRAINT cyberkg_write_lock IF NOT EXISTS FOR (l:WriteLock) REQUIRE l.name IS UNIQUE`,
	// The audit trail: entries by ID (which orders them by time).
	`CREATE CONSTRAINT cyberkg_audit_id IF NOT EXISTS FOR (a:AuditEntry) REQUIRE a.id IS UNIQUE`,
)

// lockWrites serialises cyberkg's write transactions: the SET takes the lock node's
// exclusive lock, held until commit or rollback, and the REMOVE leaves no trace.
const lockWrites = `MERGE (l:WriteLock {name: 'cyberkg'}) SET l.held = true REMOVE l.held`
