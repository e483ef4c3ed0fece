package extract

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
)

// Document is the text of one report and what is known about where it came from.
type Document struct {
	Text      string
	Title     string
	URL       string
	Publisher string
	Published time.Time
}

// Result is what a document says, in the shape `cyberkg extract --json` prints.
type Result struct {
	Entities  []*Entity        `json:"entities"`
	Relations []*Relation      `json:"relations"`
	Amounts   []*AmountMention `json:"amounts"`
	// SectorTargets are TARGETED relations to sectors. The graph keeps them; the JSON
	// format annotates sectors as entities only, so they are not among Relations.
	SectorTargets []*Relation `json:"-"`
}

// Entity is a thing the document names.
type Entity struct {
	Type     string   `json:"type"` // actor, state, incident, organization, sector, amount, date
	Name     string   `json:"name"`
	Mentions []string `json:"mentions"`

	Code         string             `json:"-"` // state
	ActorKind    graph.ActorKind    `json:"-"`
	IncidentKind graph.IncidentKind `json:"-"`
	Date         string             `json:"-"` // incident: ISO prefix
	Role         string             `json:"-"` // organization: victim or attributor
	Evidence     string             `json:"-"` // the first sentence that names it
	key          string
	dated        bool // Date was given where the incident was named, not inferred
}

// Relation is a relation the document states, with its evidence.
type Relation struct {
	Type         string   `json:"type"` // ATTRIBUTED_TO, AFFILIATED_WITH, COLLABORATES_WITH, TARGETED, STOLE
	From         string   `json:"from"`
	To           string   `json:"to"`
	Evidence     string   `json:"evidence"`
	Certainty    string   `json:"certainty"`
	AttributedBy *string  `json:"attributed_by"`
	Confidence   float64  `json:"confidence"`
	Value        *float64 `json:"value"`
	Currency     *string  `json:"currency"`

	fromEnt, toEnt *Entity
	amount         *AmountMention
	key            string // its key in run.relations, when relate made it
	// support holds every sentence that states the relation, the strongest first: each
	// becomes a claim in the graph.
	support []support
}

type support struct {
	quote, claimant string
	certainty       graph.Certainty
}

// AmountMention is an amount the document gives, tied to an incident when it says so.
type AmountMention struct {
	Surface     string   `json:"surface"`
	Value       float64  `json:"value"`
	Currency    string   `json:"currency"`
	ValueUSD    *float64 `json:"value_usd"`
	Approximate bool     `json:"approximate"`
	Incident    *string  `json:"incident"`
	Stolen      bool     `json:"-"`
}

// Extractor holds what extraction knows before reading: the gazetteer.
type Extractor struct {
	gaz    *Gazetteer
	states map[string]*Known // states by normalised name and demonym
	// scratch keeps what Extract allocates for a document and drops when it returns
	// (*scratch), for the next document, on whichever goroutine reads it.
	scratch sync.Pool
}

// New returns an extractor that knows the reference knowledge's names.
func New(k *reference.Knowledge) *Extractor { return NewWith(KnownFromReference(k)) }

// NewWith returns an extractor that knows the given names (the reference plus what a
// store has learned).
func NewWith(known []*Known) *Extractor {
	x := &Extractor{gaz: NewGazetteer(known), states: map[string]*Known{}}
	for _, k := range known {
		if k.Kind == graph.KindState {
			for _, n := range k.Names {
				x.states[graph.Normalize(n)] = k
			}
		}
	}
	return x
}

// stateIn returns the state whose name or demonym opens an actor's name ("Russian
// military intelligence"), if any.
func (x *Extractor) stateIn(surface string) *Known {
	words := strings.Fields(surface)
	for n := min(3, len(words)-1); n >= 1; n-- {
		if k := x.states[graph.Normalize(strings.Join(words[:n], " "))]; k != nil {
			return k
		}
	}
	return nil
}

// movedOutExpr is funds moved out of their owner's hands, which is taking them: "moved
// more than 400,000 ETH out of one of the exchange's cold wallets", "moved 119,754
// bitcoin to a wallet he controlled". Moving alone is laundering's word.
const movedOutExpr = `moved\b[^.;]{1,40}?\b(?:out of (?:one of )?(?:the |its |their )?(?:[\w.-]+['’]s? )?(?:(?:cold|hot|multisig|multi-signature)\s+)?wallets?|to (?:a |an )?(?:wallet|address|account)s? (?:that )?(?:he|she|they|the (?:hackers|attackers|thieves)) controlled)`

var movedOutRE = newCue(`(?i)\b` + movedOutExpr + `\b`)

// Cue words. Each is a small, named regular expression; names of entities never are.
// newCue (cues.go) compiles each with the words its matches must start with or hold,
// so that a sentence without them costs a scan instead of a regexp search.
var (
	negationRE = newCue(`(?i)\b(no evidence|not (?:yet )?(?:been )?(?:formally )?(?:attributed|linked|tied|connected|blamed|identified)|too early to|did not|does not|do not|didn't|doesn't|don't|denied|denies|deny|ruled out|rule out|unlike|no (?:link|connection|indication|sign)|not (?:a |an )?(?:part|unit|subgroup|member|branch|arm|affiliated|sponsored|backed|directed|controlled) (?:of|by|with)|not responsible|not involved|no involvement|unclear (?:who|whether)|unknown (?:attackers|hackers|actors)|cannot|could not|couldn't|can't|not clear|cleared of|exonerated|acquitted|no one has|nobody has|declined to (?:attribute|name)|without (?:naming|attributing)|rather than|instead of|false flag|not the work)\b`)
	hedgeRE2   = newCue(`(?i)\b(suspect(?:ed|s)?|believed?|believes|likely|probabl[ey]|possibl[ey]|(?-i:may)|might|could|allegedly|alleged|reportedly|appears?|appeared|seem(?:s|ed)?|thought to|potentially|presumably|moderate confidence|low confidence|suggests?|suggested|suggesting|indicat(?:e|es|ed|ing|ions?)|hallmarks|consistent with|resembl\w*|possible|purported(?:ly)?|assess(?:ed|es)? (?:that|with)|speculat\w*|rumou?r\w*|not (?:yet )?confirmed|unconfirmed|tentative(?:ly)?|preliminary|point(?:s|ed|ing)? to)\b`)
	// More hedges, kept apart so that each expression stays small enough for Go's
	// backtracker (500 instructions): traces, and a group's own claim.
	hedgeMoreRE = newCue(`(?i)\b(?:(?:signs|fingerprints|trademarks|signature) of|claim(?:ed|s|ing)? (?:responsibility|credit)|claim(?:ed|s|ing)? the (?:attack|hack|breach|intrusion|theft|heist))\b`)
	// Cues after which the responsible party is named: "attributed to X", "the work of X".
	passiveToRE = newCue(`(?i)\b(?:attribut(?:ed|ing|es|e)|blam(?:ed|ing|es|e)|pinn?(?:ed|ing)|link(?:ed|ing|s)|ti(?:ed|es|ing)|trac(?:ed|ing)|connect(?:ed|ing))\b(?:\s+[\w$.,'’-]+){0,14}?\s+(?:to|on)\s+(?:the\s+)?`)
	passiveByRE = newCue(`(?i)\b(?:carried out|conducted|perpetrated|orchestrated|committed|executed|masterminded|launched|stolen|hacked|led|claimed|staged|engineered|organi[sz]ed|initiated|run) by\b|\bthe (?:work|handiwork|doing) of\b|\b(?:blamed|blaming|accused|named|identified|fingered|implicated|pointed (?:the finger )?at)\b`)
	// "a group that Mandiant tracks as", "hackers who work for": a clause that names the
	// agent, where a cue's window may hold one.
	namingClauseRE = newCue(`(?i)\b(?:(?:that|which|whom)\s+(?:[\w-]+\s+){0,3}?(?:calls?|call|tracks?(?:\s+as)?|dubs?|dubbed|names?|named|refers?\s+to\s+as|knows?\s+as|labels?)|who\s+(?:work|works)\s+(?:for|on\s+behalf\s+of))\s+(?:the\s+)?$`)
	// "a group that Mandiant tracks as UNC4736": who names the agent.
	namerRE = newCue(`(?i)^\s+(?:calls?|tracks?(?:\s+as)?|dubs?|dubbed|names?|named|refers?\s+to\s+as)\b`)
	// "criminals who once worked for", "former officers of": a tie that was.
	formerRE = newCue(`(?i)\b(?:former|formerly|once|ex|used\s+to|previously|had\s+worked|had\s+served)\b`)
	// ", then worth roughly": the value of the amount before, when it was taken (not
	// "now worth": what it would be worth today is no amount of the theft).
	worthOfRE = newCue(`(?i)^\s*[,(]?\s*(?:then\s+|at\s+the\s+time\s+)?(?:worth|valued\s+at)\s+(?:about\s+|roughly\s+|around\s+|approximately\s+|nearly\s+|almost\s+|some\s+|more\s+than\s+|over\s+)?$`)
	// "Microsoft Exchange email servers", "Unitronics controllers": what a name makes.
	productRE = newCue(`^\s+(?:(?:email|mail|web|file|on-premises|cloud)\s+)?(?:servers?|software|devices?|controllers?|appliances?|products?|firmware|routers?|platform\s+software)\b`)
	// "threatened attacks on": what is threatened has not happened.
	threatenedRE = newCue(`(?i)\bthreat(?:en(?:ed|ing|s)?)\s+(?:(?:new|more|further|fresh)\s+)?(?:attacks?|hacks?|to)\b[^.;]*$`)
	// " on Tuesday", " last week": when a claim was made.
	whenRE = newCue(`^\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|(?:last|this|earlier\s+this)\s+(?:week|month|year))\b`)
	// "a ransomware attack ... had stolen personal data of its users": an attack its
	// speaker suffered.
	attackOnItsRE = newCue(`(?i)\b(?:a|an|the)\s+(?:(?:ransomware|cyber|hacking)\s+)?(?:attack|cyberattack|cyber-attack|breach|hack|intrusion)\b[^.;]{0,40}?\b(?:stole|stolen|exposed|encrypted|disrupted|compromised|leaked|took|taken|knocked|crippled|locked|wiped)\b[^.;]{0,40}?\b(?:its|their)\s+(?:own\s+)?(?:users|customers|clients|staff|employees|systems|servers|network|networks|data|services|patients|members|website)\b`)
	// ", which", ", and which", " who": a relative clause starts.
	actorClauseRE = newCue(`(?i)^\s*(?:\([^)]*\)\s*)?,?\s*(?:and\s+)?(?:which|who|whom)\b`)
	// "the activity belongs to TraderTraitor": whose a deed is.
	deedBelongsRE = newCue(`(?i)\b(?:activity|activities|intrusions?|attacks?|hacks?|campaigns?|theft|heist|breach)\s+(?:(?:may|might|likely|probably|almost\s+certainly)\s+)?(?:belongs?|belonged)\s+to\b`)
	// "the activity", "the intrusions": words for what was done that may refer back to
	// the one incident a document tells of (see findIncidents).
	deedRefRE = newCue(`(?i)\b(?:(?:the|this|these)\s+(?:(?:malicious|hacking|cyber|same|recent|latest)\s+)?(?:activity|activities|intrusions|attacks|hacks|campaign)|(?:its|their)\s+campaigns?)\b`)
	// "a Chinese state-sponsored cyber actor": a state's agent, though one.
	sponsoredActorRE = newCue(`(?i)^\s+(?:state|government|regime)[- ](?:sponsored|backed)\s+(?:(?:threat|hacking|hacker|apt|espionage|cyberespionage|cyber-espionage|cyber|military|intelligence)\s+)*(?:actor|group|crew|team|outfit|collective|hacker|unit)\b`)
	// Cues before which the responsible party stands: "X was behind", "X stole".
	activeCueRE    = newCue(`(?i)^\W*(?:(?:hackers|hacking groups?|hacking units?|cyber ?actors|threat actors|actors|operatives|officers|members|officials|group|groups|crew|gang|unit|cybercriminals|criminals|attackers|agents|spies|it workers|state hackers|government hackers|military hackers|hacker groups?|cyber ?army|apts?)\b\W*)*(?:(?:who|that|which|have|has|had|was|were|is|are|also|allegedly|reportedly|likely|probably|possibly|believed to be|thought to be|suspected of|suspected to be|said to be|now|then|later|again|successfully|previously|may have|might have|could have|already|been)\s+)*(?:behind|responsible for|(?:been )?(?:blamed|accused|linked|tied|named|identified) (?:for|over|of|in|as (?:the )?(?:culprits?|perpetrators?|attackers?))|accused (?:over|of|in)|charged (?:over|for|in|with)|indicted (?:over|for|in)|stole|stolen|steal|stealing|hacked|hack|carried out|conducted|perpetrated|orchestrated|launched|made off with|drained|drain|siphoned|took|looted|exploited|compromised|breached|robbed|pulled off|executed|committed|masterminded|staged|attacked|targeted|infiltrated|struck|hit)\b`)
	demonymAgentRE = newCue(`(?i)^\W*(?:state[- ]sponsored\s+|state[- ]backed\s+|government[- ]backed\s+|regime[- ]backed\s+)?(?:hackers|hacking groups?|cyber ?actors|threat actors|actors|operatives|cybercriminals|attackers|it workers|hacker groups?|cyber ?army|apts?|state hackers|military hackers)\b`)
	claimVerbRE    = newCue(`(?i)^\W*(?:\w+\W+){0,3}?(?:said|says|say|stated|states|told|reported|reports|believes|believe|confirmed|confirms|announced|announces|attributed|attributes|blamed|blames|assessed|assesses|concluded|concludes|found|finds|warned|warns|alleged|alleges|claims?|claimed|named|names|identified|identifies|accused|accuses|wrote|noted|notes|determined|linked|tied|traced|suspects?|suspected|indicated|revealed|added|publicly)\b`)
	claimPrefixRE  = newCue(`(?i)\b(?:according to|citing|as reported by|per|cited by|said by)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,2}$`)
	collabRE       = newCue(`(?i)\b(?:collaborat\w*|cooperat(?:e|es|ed|ing|ion|ions)|co-operat(?:e|es|ed|ing|ion|ions)|partnership\w*|partner(?:ed|ing|s)? with|alliance|allied|allies|ties (?:with|between)|close ties|deepening ties|military ties|working (?:together|with|alongside)|worked (?:with|alongside)|work(?:s)? with|teamed up|team(?:s|ed)? up|coordinat\w+ with|in concert with|in league with|support from|help from|assistance from|comprehensive strategic partnership|mutual (?:defen[cs]e|assistance)|jointly (?:operat|conduct|carr|launch|develop)\w*|joint (?:operations?|campaigns?|attacks?|hacking))\b`)
	notCollabRE    = newCue(`(?i)\bjoint(?:ly)? (?:attribut\w*|said|stated|advisory|statement|announce\w*|warn\w*|report\w*|investigat\w*|sanction\w*)|\b(?:to counter|against|condemn\w*|sanction\w*|(?:its|their|our|his|her) allies)\b`)
	affCueRE       = newCue(`(?i)\b(?:(?:backed|sponsored|funded|directed|controlled|run|operated|tasked|employed|supported|overseen|commanded) by|working (?:for|on behalf of)|works (?:for|on behalf of)|work (?:for|on behalf of)|on behalf of|operat\w+ (?:for|on behalf of|under)|part of|a part of|a (?:unit|subgroup|sub-group|subcluster|sub-cluster|cluster|division|arm|branch|faction|offshoot|element|team|component|subordinate|subset) (?:of|within|under)|a (?:hacking|cyber|military|intelligence) (?:unit|team|arm|division) of|subordinate to|under the (?:control|command|direction) of|(?:linked|tied|affiliated|associated|connected|aligned) (?:to|with)|(?:has |have |with )?(?:close |strong |known )?(?:ties|links|connections) (?:to|with)|reporting to|answer(?:s|ing)? to|serv(?:es|ing) (?:the|as)|belong(?:s|ing)? to)\s+(?:the\s+)?`)
	affAdjRE       = newCue(`(?i)^[\s'’s-]*(?:(?:(?:state|government|regime|military|intelligence)[- ](?:sponsored|backed|linked|affiliated|aligned|controlled|run|directed|funded)|-?(?:sponsored|backed|linked|affiliated|aligned|controlled|run|directed|funded|nexus)|notorious|infamous|prolific|elite|military|intelligence|state|cyber|hacking|hacker|threat|apt|advanced persistent threat|espionage|cyberespionage|cyber-espionage|crypto-stealing|ransomware|spy|spying|group|groups|unit|units|actor|actors|crew|gang|outfit|team|collective|cluster|hackers|operators|operatives|known as|dubbed|called|tracked as|named|such as|including|like|,|the|a|an)[\s-]*)*$`)
	locationOnlyRE = newCue(`(?i)^[\s-]*(?:based|headquartered|located|registered|operating from|operating out of)\b`)
	nationalsRE    = newCue(`(?i)^\s+(?:money\s+)?(?:launderers?|nationals?|citizens?|individuals?|businessm[ae]n|brokers?|traders?|firms?|companies|company|exchanges?|banks?|cybercriminals?|criminals?|crime groups?|gangs?|OTC|students?|residents?|users?|investors?)\b`)
	anaphorRE      = newCueEnding(`(?i)\b(?:the|this|that|its|(?:\w+ \d{1,2}|\w+ \d{4}|\d{4})(?:['’]s)?)\s+(?:(?:same|massive|major|huge|record|record-breaking|latest|recent|roughly|about|some|nearly|around|approximately|estimated|crypto|cryptocurrency|cyber|digital|alleged|\$[\d.,]+\s*(?:billion|million|bn|m)|big|biggest|largest|attack's|security|reported|apparent|initial|high-profile|\w+-(?:dollar|million|billion))\s+)*(?:hack|heist|theft|breach|attack|exploit|incident|intrusion|robbery|compromise|cyberattack|cyber-attack|cyber ?heist|raid|drain|exploitation|stealing|outbreak)\b`, anaphorAt)
	theftNounRE    = newCue(`(?i)\b(hack|heist|exploit|theft|robbery|breach|attack|cyberattack|cyber-attack|compromise|intrusion|incident|raid|drain|cyber ?heist)\b`)
	stolenCueRE    = newCue(`(?i)\b(stole|stolen|steal\w*|theft|thefts|heist|drain\w*|siphon\w*|made off|took|taken|loot\w*|hack\w*|exploit\w*|swip\w*|withdr[ae]w\w*|robbed|robbery|pilfer\w*|nabbed|grabbed|lost|losses?|loss|compromised|snatch\w*|pilfered|breach\w*|obtain\w*|extort\w*|paid (?:a |the )?ransom|ransom (?:payment|paid))\b`)
	notStolenCueRE = newCue(`(?i)\b(launder\w*|recover\w*|frozen|froze|freez\w*|seiz\w*|return\w*|refund\w*|bount\w*|reward\w*|damage\w*|costs?|cost of|raised|rais\w*|reimburs\w*|demand\w*|valued|worth today|now worth|prices?|fines?|penalt\w*|sanction\w*|insur\w*|bail\w*|compensat\w*|budget|revenue\w*|earn\w*|income|salar\w*|invest\w*|funding|fund(?:s|ed)? (?:its|the) (?:weapons|nuclear|missile)|market cap\w*|tvl|total value locked|locked|converted|convert\w*|mov(?:ed|ing)|transferr?\w*|sent|swapp?\w*|mix\w*|cash(?:ed)? out|wash\w*|traced|tracked|blocked|block\w*|intercept\w*|clawed back|retriev\w*|regain\w*|reclaim\w*|restor\w*|saved)\b`)
	aggregateRE    = newCue(`(?i)\b(?:across (?:\d+|\w+) (?:incidents|hacks|attacks|thefts)|in total|a total of|combined|altogether|overall|cumulative\w*|so far this year|since \d{4}|over the (?:past|last) \w+ years?|per year|each year|annually|a year|total (?:stolen|losses))\b`)
	targetCueRE    = newCue(`(?i)\b(?:target\w*|attack\w*|hit|struck|victims?|aimed at|against|compromis\w*|breach\w*|infiltrat\w*|going after|focus(?:ed|ing)? on|prey\w* on)\b`)
	victimVerbRE   = newCue(`(?i)^\s*(?:,[^,]{0,60},\s*|,\s+which\s+)?(?:was|were|has been|had been|got|is|are)\s+(?:\w+\s+)?(?:hacked|breached|compromised|exploited|drained|robbed|attacked|hit|struck|targeted|looted|infiltrated)\b`)
	victimPrepRE   = newCue(`(?i)\b(?:(?:` + victimPrepNounsAlt + `)s? (?:` + victimPrepPrepsAlt + `)|(?:` + victimPrepTakenAlt + `)\b(?:[^.;]|\.\d){0,80}?\bfrom|(?:` + victimPrepVerbsAlt + `))` + victimPrepLead)
	// victimPrepNearRE is victimPrepRE without its "stole ... from" branch, which
	// stolenFrom reads (see victimPrepMatches).
	victimPrepNearRE = newCue(`(?i)\b(?:(?:` + victimPrepNounsAlt + `)s? (?:` + victimPrepPrepsAlt + `)|(?:` + victimPrepVerbsAlt + `))` + victimPrepLead)
	victimPrepLeadRE = newCue(`(?i)^` + victimPrepLead)
	capPhraseRE      = newCue(`^(?:[A-Z][\w.&'’-]*|[a-z]+[A-Z][\w.&-]*|\d+[A-Za-z][\w.&-]*)(?:\s+(?:[A-Z][\w.&'’-]*|[a-z]+[A-Z][\w.&-]*|\d+[A-Za-z][\w.&-]*|bridge|network|exchange|protocol|finance|Finance|wallet|DEX|chain|of|de|and)){0,4}`)
	victimNounRE     = newCueEnding(`((?:(?:[A-Z][\w.&'’-]*|[a-z]+[A-Z][\w.&-]*|\d+[A-Za-z][\w.&-]*)\s+){0,4}(?:[A-Z][\w.&'’-]*|[a-z]+[A-Z][\w.&-]*|\d+[A-Za-z][\w.&-]*)(?:\s+(?:bridge|network|exchange|protocol|wallet|platform))?)(?:['’]s?)?\s+(?:(?:\$[\d.,]+\s*(?:billion|million|bn|m)|crypto|cryptocurrency|bridge|exchange|wallet|security|cyber|network|protocol|hot[- ]wallet|smart[- ]contract|flash[- ]loan|supply[- ]chain|ransomware|email|data)\s+)*(hack|heist|exploit|breach|theft|robbery|compromise|attack|cyberattack|cyber-attack|intrusion|raid)\b`, victimNounAt)
	amountNounRE     = newCue(`^(?:\s+(?:worth\s+of\s+)?[a-z][\w-]*){0,3}?\s+(theft|heist|hack|robbery|exploit|attack|breach)\b`)
	theftOfRE        = newCue(`(?i)\b(?:the\s+)?(?:theft|heist|robbery|stealing|loss) of\s+(?:an?\s+)?(?:estimated\s+|about\s+|around\s+|approximately\s+|roughly\s+|nearly\s+|more than\s+|over\s+|some\s+)?$`)
	actorCodeRE      = newCue(`\b(?:APT[ -]?\d{1,3}|UNC\d{3,5}|TA\d{3,4}|Storm-\d{3,4}|DEV-\d{3,4}|FIN\d{1,3}|TAG-\d{1,3}|Temp\.[A-Z][a-z]+)\b`)
	actorVendorRE    = newCueAt(`\b(?:[A-Z][a-z]+ )?[A-Z][a-z]+ (?:`+strings.Join(vendorSuffixes, "|")+`)\b`, capitalAt)
	dubbedRE         = newCue(`\b(?:dubbed|tracked as|known as|called|named|codenamed|code-named|nicknamed|labell?ed|call(?:s|ing)? (?:itself|themselves))\s+["“']?([A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){0,2})`)
	groupNounRE      = newCue(`(?i)\b(?:group|gang|crew|cluster|actor|hackers|collective|team|outfit|apt|threat)\b`)
	yearRE2          = newCue(`\b(?:19|20)\d\d\b`)
	listSepRE        = newCue(`^(?:,\s*(?:and\s+)?|\s+and\s+|\s*/\s*)`)
	appositionRE     = newCue(`^\s*(?:\([^)]*\)\s*)?,\s*(?:also known as [^,]+,\s*)?(?:a|an|the)\s+(?:(?:notorious|infamous|prolific|elite|alleged|suspected|so-called)\s+)?$`)
	stateGroupRE     = newCue(`(?i)^[\s'’s-]*(?:(?:state|government|regime|military)[- ])?(?:-?(?:sponsored|backed|linked|affiliated|aligned|controlled|run))?\s*(?:state[- ]sponsored\s+|state[- ]backed\s+)?(?:hacking|hacker|threat|cyber|apt|espionage|cyberespionage|military|intelligence)?\s*(?:group|unit|actor|crew|gang|outfit|collective|team|organization|organisation|agency|cluster)`)
	actorListGapRE   = newCue(`^\s*(?:,\s*|\s+and\s+|,\s*and\s+)$`)
	stateBehindRE    = newCue(`^\W*(?:was|were|is|are)?\s*(?:\w+\s+)?(?:behind|responsible)`)
	pairGapRE        = newCue(`^\s*(?:and|,|&|-|–)\s*$`)
	betweenRE        = newCue(`(?i)^\s*(?:(?:between|among|with)\s+)?(?:(?:the|other|fellow|nations?|states?|countries|governments?|like|such as|including|regimes?)\s+)*$`)
	strongCollabRE   = newCue(`(?i)partnership|alliance|ties`)
	stateSaysRE      = newCue(`(?i)^(?:['’]s)?\s+(?:government\s+|officials\s+|authorities\s+)?(?:(?-i:[A-Z]{2,6})\s+)?(?:police\s+|prosecutors\s+|investigators\s+|ministry\s+|intelligence(?:\s+agency|\s+service)?\s+|security\s+service\s+)?(?:has\s+|have\s+)?(?:formally\s+|publicly\s+|officially\s+)?(?:said|says|accused|accuses|blamed|blames|attributed|attributes|alleged|alleges|claimed|claims|named|charged|indicted|sanctioned|publicly)\b`)
	ransomwareRE     = newCue(`(?i)ransomware`)
	retractRE        = newCue(`(?i)^(?:however|but|yet|still|that said|at the same time)\b.{0,120}\b(?:mislead\w*|misdirect\w*|false flag|red herring|deliberate attempt|decoy|not necessarily|could also|may also|might also|no (?:firm|hard|conclusive) evidence|not conclusive|inconclusive|cannot be ruled out|too early)`)
	possessiveGapRE  = newCue(`^['’]s?\s+(?:(?:military|foreign|intelligence|spy|security)\s+(?:intelligence\s+)?(?:agency|service)?\s*)?`)
	fromItsRE        = newCue(`(?i)\b(?:stole|stolen|drained|siphoned|took|taken|made off with|looted|withdrew|withdrawn|lost|exploited)\b(?:[^.;]|\.\d){0,80}?\bfrom\s+(?:one\s+of\s+)?(?:its|their)\b`)
	groupAfterRE     = newCue(`(?i)^(?:\s+(?:hacking\s+|ransomware\s+|threat\s+|cybercrime\s+|criminal\s+)?(?:group|gang|crew|collective|actors?|hackers)\b|,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:group|gang|crew|collective|actors?|hackers|operation|cartel|syndicate)\b)`)
	clauseBreakRE    = newCue(`;|,\s+(?:but|while|whereas|although|though|which|who|whom|and\s+(?:the|a|an)|yet)\b|\s+but\s+`)
	copulaSubjectRE  = newCue(`(?i)\b(?:attackers|hackers|perpetrators|culprits|thieves|criminals|exploiters?|those|people|group)\s+(?:behind|responsible\s+for)\s`)
	copulaRE         = newCue(`(?i)\s(?:were|was|are|is|appear(?:s|ed)?\s+to\s+be|seem(?:s|ed)?\s+to\s+be)\s+(?:(?:likely|probably|possibly|believed\s+to\s+be|thought\s+to\s+be|almost\s+certainly|most\s+likely|in\s+fact)\s+)?(?:the\s+)?`)
	otherAttacksRE   = newCue(`(?i)\b(?:attacks?|hacks?|breaches|intrusions?|campaigns?) (?:on|against|at)\b`)
	unitWordRE       = newCue(`\b(?:Unit|Bureau|Directorate|Department|Ministry|Army|Corps|Center|Centre|Command|Division|Office|Service)\b`)
	hitVerbRE        = newCue(`^\s*(?:also\s+|then\s+|later\s+)?(?:hit|struck|crippled|disrupted|paralysed|paralyzed|affected|compromised|targeted|breached|drained|knocked out|took down|wiped)\s+(?:the\s+)?`)
	unitOfRE         = newCue(`^\s+(?:of|within|in|under|at)\s+(?:the\s+)?`)
	// "CoinsPaid has blamed the Lazarus Group for a $37.2 million heist": the one who
	// blames is the victim when it is not a known attributing body.
	blamedForRE       = newCue(`(?i)^\s+(?:has\s+|have\s+|had\s+)?(?:publicly\s+)?(?:blamed|blames|attributed|attributes)\b.{1,80}?\bfor\s+(?:the|a|an|its|last \w+'s)\s`)
	speechVerbRE      = newCue(`\s+(?:has\s+|have\s+|had\s+)?(?:now\s+|also\s+|publicly\s+)?(?:said|says|blamed|blames|attributed|attributes|confirmed|confirms|stated|claimed|claims|reported|reports|announced|alleged|alleges|believes|concluded|determined|identified|named)\b`)
	speakerTailRE     = newCueAt(`((?:[A-Z][\w.&'’-]*|[a-z]+[A-Z][\w-]*)(?:\s+(?:[A-Z][\w.&'’-]*|of|for))*)$`, capWordAt)
	accordingToRE     = newCue(`\b(?:according to|citing)\s+(?:the\s+)?((?:[A-Z][\w.&'’-]*|[a-z]+[A-Z][\w-]*)(?:\s+(?:[A-Z][\w.&'’-]*|of))*)`)
	malwareIncidentRE = newCueAt(`\b(?:(?:19|20)\d\d\s+)?((?:[A-Z][\w-]*[a-z][\w-]*)(?:\s+(?:[A-Z][\w-]+|\d+\.\d+))?)\s+(malware|ransomware|wiper|worm|cyber|destructive)\s+(?:attacks?|campaign|outbreak|cyberattacks?|cyber-attacks?|incident)\b`, func(s string, p int) bool {
		return (capitalAt(s, p) || ((p == 0 || !asciiWord[s[p-1]]) && (strings.HasPrefix(s[p:], "19") || strings.HasPrefix(s[p:], "20")))) && malwareWithin(s, p)
	})
	ransomGangRE = newCueAt(`\b([A-Z][\w-]+)\s+ransomware\s+(?:gang|group|operation|crew|operators|cartel|affiliates?)\b`, capitalAt)
)

var notSpeaker = map[string]bool{"he": true, "she": true, "it": true, "they": true, "we": true, "the": true, "this": true, "officials": true,
	"researchers": true, "analysts": true, "experts": true, "investigators": true, "police": true, "authorities": true, "reports": true,
	"prosecutors": true, "regulators": true, "lawmakers": true, "sources": true, "court": true,
	// "South Korea on Tuesday blamed": a day or a month is when, never who.
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"january": true, "february": true, "march": true, "april": true, "june": true, "july": true, "august": true,
	"september": true, "october": true, "november": true, "december": true}

// notVictim lists capitalised words that start a sentence or name a month or a role
// rather than an organisation.
var notVictim = map[string]bool{
	"the": true, "a": true, "an": true, "this": true, "that": true, "these": true, "those": true, "its": true, "their": true,
	"his": true, "her": true, "our": true, "last": true, "in": true, "on": true, "after": true, "before": true, "following": true,
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true, "august": true,
	"september": true, "october": true, "november": true, "december": true, "monday": true, "tuesday": true, "wednesday": true,
	"thursday": true, "friday": true, "saturday": true, "sunday": true, "crypto": true, "cyber": true, "but": true, "and": true,
	"however": true, "meanwhile": true, "it": true, "he": true, "she": true, "they": true, "we": true, "i": true, "hackers": true,
	"north": true, "south": true, "during": true, "since": true, "when": true, "while": true, "bitcoin": true, "ethereum": true,
	"defi": true, "web3": true, "one": true, "two": true, "another": true, "such": true, "massive": true, "major": true, "big": true,
	"record": true, "biggest": true, "largest": true, "recent": true, "latest": true, "reported": true, "alleged": true,
}

type sentenceState struct {
	text      string
	mentions  []Mention // known entities and pattern actors
	amounts   []Amount
	dates     []DateMention
	incidents []incidentRef
	negation  int8 // 0 not yet read, 1 negated, -1 not; see negated
	hedge     int8
	claimant  string
	found     []found        // cue matches over the whole sentence, read once; see all
	words     *sentenceWords // where its words start, read once; see index
	wordsBuf  sentenceWords  // what words points to once read holds them
	room      *foundRoom     // where found is taken from, shared by the document's sentences
}

// foundRoom hands out the room for cue matches from chunks shared by the sentences of
// a document and kept for the next document (see scratch): most sentences read no cue
// at all.
type foundRoom struct {
	spare  []found   // what is left of the chunk being handed out
	chunks [][]found // every chunk made; chunks[next:] are not yet handed out from
	next   int
}

// foundChunk is the number of matches a chunk holds: room for 16 sentences' first take.
const foundChunk = 16 * foundPerSentence

// take returns an empty slice with room for n matches.
func (f *foundRoom) take(n int) []found {
	if n > foundChunk {
		return make([]found, 0, n)
	}
	if len(f.spare) < n {
		if f.next == len(f.chunks) {
			f.chunks = append(f.chunks, make([]found, foundChunk))
		}
		f.spare = f.chunks[f.next]
		f.next++
	}
	out := f.spare[:0:n]
	f.spare = f.spare[n:]
	return out
}

// reset makes every chunk free for the next document, cleared so that the pool keeps
// no matches of the last.
func (f *foundRoom) reset() {
	for _, c := range f.chunks[:f.next] {
		clear(c)
	}
	f.spare, f.next = nil, 0
}

type found struct {
	cue  *cue
	locs [][]int
}

// all returns the matches of a cue over the whole sentence, with their submatches.
// Several steps read the same cues (theft nouns, stolen and not-stolen words, clause
// breaks), some once per amount or per agent: each is searched once.
func (st *sentenceState) all(c *cue) [][]int {
	for _, f := range st.found {
		if f.cue == c {
			return f.locs
		}
	}
	locs := c.findAll(st.text, -1, st.index())
	switch {
	case len(st.found) < cap(st.found):
	case st.room != nil:
		// Full, or none yet: room for twice as many, from the shared chunks.
		st.found = append(st.room.take(max(foundPerSentence, 2*cap(st.found))), st.found...)
	}
	st.found = append(st.found, found{c, locs})
	return locs
}

// has reports whether a cue matches the sentence.
func (st *sentenceState) has(c *cue) bool {
	for _, f := range st.found {
		if f.cue == c {
			return len(f.locs) > 0
		}
	}
	return c.match(st.text, st.index())
}

// index returns where the words of the sentence start, found on first use.
func (st *sentenceState) index() *sentenceWords {
	if st.words == nil {
		st.words = wordsOf(st.text)
	}
	return st.words
}

// negated reports whether the sentence negates or scopes away what it says ("no
// evidence links", "too early to"). Read on first use: most sentences never need it.
func (st *sentenceState) negated() bool {
	if st.negation == 0 {
		st.negation = -1
		if st.has(negationRE) {
			st.negation = 1
		}
	}
	return st.negation > 0
}

// negatedAt reports whether the clause around pos negates: "Russian hackers were not
// involved in the attack, which the FBI attributed to DarkSide" negates the first clause
// only. Clauses split at semicolons and at ", which", ", but", ", while" and the like.
func (st *sentenceState) negatedAt(pos int) bool {
	if !st.negated() {
		return false
	}
	start, end := st.clauseAround(pos)
	return negationRE.MatchString(st.text[start:end])
}

// hedged reports whether the sentence hedges ("suspected", "likely", "may").
func (st *sentenceState) hedged() bool {
	if st.hedge == 0 {
		st.hedge = -1
		if st.has(hedgeRE2) || st.has(hedgeMoreRE) {
			st.hedge = 1
		}
	}
	return st.hedge > 0
}

type incidentRef struct {
	ent        *Entity
	start, end int
	explicit   bool
}

type run struct {
	x         *Extractor
	doc       Document
	res       *Result
	ents      map[string]*Entity // by key
	order     []string
	current   *Entity // the incident anaphors refer to
	previous  *Entity // the one incident the sentence before named, see referredDeeds
	year      string  // the latest year mentioned, for incidents given no date
	relations map[string]*Relation
	victims   map[string]*Entity // normalised victim name -> its incident
	dynamic   []*Known           // names this document introduced ("the Play ransomware gang" -> "Play")
	lastActor *Entity            // the group "the group" refers to
	// before is the sentence read before, whose groups "both groups" may refer to.
	before    *sentenceState
	named     []*Entity       // incidents known by a name of their own ("WannaCry")
	at        int             // the number of the sentence being read
	described *describedGroup // the group the last sentence described without naming it
	docYear   string          // the first year the text names, for dates without one when nothing else tells
	// What read allocates for each sentence, allocated once for the document in the
	// scratch the Extractor's pool keeps between documents: its states, its text
	// lower-cased and the words of each; the room for the cue matches of those that
	// read cues.
	states []sentenceState
	lower  string
	words  wordsRoom
	found  foundRoom
	// mentions holds the known names of the sentences read so far; mentionsFound
	// counts them, those that did not fit included, to size it for the next document.
	mentions      []Mention
	mentionsFound int
	key           []byte // where entity and relate build the keys they look up
}

// scratch is the memory Extract reads a document in and returns none of: the
// sentences, their states, the rooms for their words, names and cue matches, the
// text lower-cased, the run and its indexes. The Extractor's pool keeps it for the
// next document, so that a steady stream of documents costs the garbage collector
// only what each result holds. Nothing a Result holds may point into it:
// TestExtractKeepsNoScratch pins that.
type scratch struct {
	sentences []Sentence
	states    []sentenceState
	words     wordsRoom
	found     foundRoom
	mentions  []Mention
	// The run's indexes: what it holds is in the Result, the indexes are not.
	ents      map[string]*Entity
	relations map[string]*Relation
	victims   map[string]*Entity
	order     []string
	keys      []string // of relations, to sort
	key       []byte
	// lower is the document lower-cased (asciiLower), which run.lower reads as a
	// string: the sentences' words compare and match against it, and nothing keeps a
	// part of it. The test that pins that overwrites it between documents.
	lower []byte
	run   run // cleared once read
}

// maxScratchText is the longest text whose scratch goes back to the pool: one
// outsized document should not keep its room alive for every later one.
const maxScratchText = 1 << 20

func (x *Extractor) getScratch() *scratch {
	if sc, ok := x.scratch.Get().(*scratch); ok {
		return sc
	}
	return &scratch{ents: map[string]*Entity{}, relations: map[string]*Relation{}, victims: map[string]*Entity{}}
}

// putScratch clears what sc holds of the document just read (the pool keeps no
// document alive) and gives it back to the pool.
func (x *Extractor) putScratch(sc *scratch, textLen int) {
	if textLen > maxScratchText {
		return
	}
	clear(sc.sentences)
	clear(sc.states)
	clear(sc.mentions)
	clear(sc.ents)
	clear(sc.relations)
	clear(sc.victims)
	clear(sc.order)
	clear(sc.keys)
	sc.found.reset()
	x.scratch.Put(sc)
}

// Extract reads a document and returns what it says.
func (x *Extractor) Extract(doc Document) *Result {
	sc := x.getScratch()
	r := &sc.run
	*r = run{x: x, doc: doc, res: &Result{Entities: []*Entity{}, Relations: []*Relation{}, Amounts: []*AmountMention{}}, ents: sc.ents, relations: sc.relations, victims: sc.victims, order: sc.order[:0], key: sc.key}
	sc.sentences = appendSentences(sc.sentences[:0], doc.Text)
	sentences := sc.sentences
	if cap(sc.states) < len(sentences) {
		sc.states = make([]sentenceState, len(sentences))
	}
	sc.states = sc.states[:len(sentences)]
	r.states = sc.states
	sc.lower = appendASCIILower(sc.lower[:0], doc.Text)
	r.lower = unsafe.String(unsafe.SliceData(sc.lower), len(sc.lower))
	r.words = newWordsRoom(sc.words, len(doc.Text), len(sentences))
	r.found = sc.found
	r.mentions = sc.mentions[:0]
	for i, s := range sentences {
		st := r.read(i, s)
		r.previous = onlyIncident(st)
	}
	states := r.states // read reads the i-th sentence into states[i]
	// A hedged attribution that the next sentence casts doubt on ("However, this could
	// be an attempt to mislead investigators") is no attribution at all.
	for k, rel := range r.relations {
		if rel.Type != "ATTRIBUTED_TO" || rel.Certainty != string(graph.Hedged) {
			continue
		}
		doubted := true
		for _, sup := range rel.support {
			i := -1
			for j := range states {
				if states[j].text == sup.quote {
					i = j
					break
				}
			}
			doubted = doubted && i >= 0 && i+1 < len(states) && states[i+1].has(retractRE)
		}
		if doubted {
			delete(r.relations, k)
		}
	}
	// Targeted sectors in a sentence with no incident belong to the document's only incident.
	var incidents []*Entity
	for _, k := range r.order {
		if e := r.ents[k]; e.Type == "incident" {
			incidents = append(incidents, e)
		}
	}
	for i := range states {
		st := &states[i]
		// ... unless the sentence names attacks of its own ("attacks on Ukraine's grid").
		if len(st.incidents) == 0 && len(incidents) == 1 && !st.negated() && !st.has(otherAttacksRE) {
			r.targetSectors(st, incidents[0])
		}
	}
	r.res.Entities = make([]*Entity, 0, len(r.order))
	for _, k := range r.order {
		e := r.ents[k]
		if e.Type == "incident" {
			e.Mentions = appendUnique(e.Mentions, datedName(e)) // "Upbit hack (2019)", see events.go
		}
		if e.Type == "incident" && e.Date == "" {
			e.Date = r.year
		}
		r.res.Entities = append(r.res.Entities, e)
	}
	keys := sc.keys[:0]
	for k := range r.relations {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	r.res.Relations = make([]*Relation, 0, len(keys))
	for _, k := range keys {
		rel := r.relations[k]
		rel.From, rel.To = rel.fromEnt.Name, rel.toEnt.Name
		if rel.amount != nil {
			rel.To = rel.amount.Surface
		}
		if rel.Type == "TARGETED" && rel.toEnt.Type == "sector" {
			r.res.SectorTargets = append(r.res.SectorTargets, rel)
			continue
		}
		r.res.Relations = append(r.res.Relations, rel)
	}
	slices.SortStableFunc(r.res.Relations, func(a, b *Relation) int { return cmp.Compare(relOrder(a.Type), relOrder(b.Type)) })
	res := r.res
	sc.words, sc.found, sc.mentions, sc.order, sc.key, sc.keys = r.words, r.found, r.mentions, r.order, r.key, keys
	if r.mentionsFound > cap(sc.mentions) {
		sc.mentions = make([]Mention, 0, r.mentionsFound+r.mentionsFound/4)
	}
	sc.run = run{}
	x.putScratch(sc, len(doc.Text))
	return res
}

func relOrder(t string) int {
	return slices.Index([]string{"ATTRIBUTED_TO", "AFFILIATED_WITH", "COLLABORATES_WITH", "TARGETED", "STOLE"}, t)
}

// entity returns the document's entity with the given key, creating it on first sight,
// and records the surface as a mention.
func (r *run) entity(typ, name, surface, sentence string) *Entity {
	r.key = appendNormalized(append(append(r.key[:0], typ...), '|'), name)
	e := r.ents[string(r.key)] // looked up without a string made: most are seen before
	if e == nil {
		key := string(r.key)
		e = &Entity{Type: typ, Name: name, Evidence: sentence, key: key}
		r.ents[key] = e
		r.order = append(r.order, key)
	}
	surface = strings.TrimSpace(surface)
	if surface != "" && !slices.Contains(e.Mentions, surface) {
		e.Mentions = append(e.Mentions, surface)
	}
	return e
}

// incidentWords are the words without which a sentence tells of no incident; most
// sentences of an article have none, and skip the costly patterns.
var incidentWords = []string{"hack", "heist", "theft", "thefts", "breach", "attack", "exploit", "stole", "steal", "drain",
	"siphon", "compromis", "robbed", "robbery", "intrusion", "incident", "raid", "loot", "took", "taken", "made off",
	"swipe", "pilfer", "lost", "ransomware", "malware", "wiper", "target", "hit ", "struck", "blamed", "attribut",
	"interfer", "meddl"}

var incidentWordSet = newLitSet(incidentWords)

// foundPerSentence is the room for cue matches each sentence is given at first: most
// sentences that read one cue read several.
const foundPerSentence = 12

// read reads the i-th sentence of the document.
func (r *run) read(i int, s Sentence) *sentenceState {
	text := s.Text
	r.at = i
	st := &r.states[i]
	*st = sentenceState{text: text, room: &r.found}
	low := ""
	if s.Start >= 0 && s.Start+len(text) <= len(r.lower) && r.doc.Text[s.Start:s.Start+len(text)] == text {
		low = r.lower[s.Start : s.Start+len(text)]
	}
	st.wordsBuf.read(text, low, &r.words)
	st.words = &st.wordsBuf
	described := r.described
	r.described = nil
	lower := st.index().lowerOf(text)
	hasDigit := containsDigit(text)
	st.mentions = r.knownMentions(text)
	if len(r.dynamic) > 0 || ransomwareSet.holds(st.index(), lower) {
		st.mentions = append(st.mentions, r.dynamicMentions(text, st.mentions)...)
	}
	st.mentions = append(st.mentions, patternActors(text, lower, st.mentions, st.index())...)
	slices.SortFunc(st.mentions, func(a, b Mention) int { return cmp.Compare(a.Start, b.Start) })
	st.mentions = slices.DeleteFunc(st.mentions, func(m Mention) bool { return m.Kind == graph.KindState && !stateMeant(text, m, st.mentions) })
	if hasDigit {
		st.amounts = findAmounts(text, st.index())
	}
	ref := r.doc.Published
	if ref.IsZero() && r.year == "" && r.docYear == "" && monthStartSet.holds(st.index(), lower) && !hasYear(text) {
		r.docYear = cmp.Or(firstYear(r.doc.Text), "none") // read once, when a month needs it
	}
	if year := cmp.Or(r.year, strings.TrimSuffix(r.docYear, "none")); ref.IsZero() && year != "" {
		// No publication date: a date without a year belongs to the year the text
		// last named ("in 2022 ... on June 24"), or before any, to the first it names.
		if y, err := strconv.Atoi(year); err == nil {
			ref = time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		}
	}
	if hasDigit || lastThisSet.holds(st.index(), lower) || !ref.IsZero() && monthStartSet.holds(st.index(), lower) {
		st.dates = findDates(text, ref, st.index())
	}
	incidentish := len(st.amounts) > 0 || incidentWordSet.holds(st.index(), lower) || r.namesIncident(text) || r.current != nil && st.has(deedRefRE) || i <= 1 && r.current == nil && st.has(campaignRE)
	if len(st.mentions) == 0 && !incidentish {
		for _, d := range st.dates {
			r.entity("date", d.Value, d.Surface, text)
			r.year = d.Value[:4]
		}
		return st // nothing here can hold a relation
	}
	st.claimant = r.claimant(st)

	for _, m := range st.mentions {
		switch m.Kind {
		case graph.KindState:
			e := r.entity("state", m.Name, m.Surface, text)
			e.Code = m.known.Code
		case graph.KindActor:
			e := r.entity("actor", m.Name, m.Surface, text)
			if m.known != nil {
				e.ActorKind = m.known.ActorKind
			}
		case graph.KindSector:
			// A sector is named; it is tied to an incident only where something is done
			// to it (see targetSectors).
			r.entity("sector", m.Name, m.Surface, text)
		case graph.KindOrganization:
			if st.claimant == m.Name {
				e := r.entity("organization", m.Name, m.Surface, text)
				e.Role = cmp.Or(e.Role, "attributor")
			}
		}
	}
	for _, a := range st.amounts {
		e := r.entity("amount", a.Surface, a.Surface, text)
		for _, s := range tokenSurfaces(text, a) {
			e.Mentions = appendUnique(e.Mentions, s)
		}
	}
	for _, d := range st.dates {
		r.entity("date", d.Value, d.Surface, text)
	}
	for _, d := range st.dates {
		r.year = d.Value[:4]
	}
	if incidentish {
		r.findIncidents(st)
		r.hackerNames(st)
		r.attackersNamed(st)
		r.noteNamedIncidents(st)
	}
	r.amountsOf(st)
	r.attributions(st) // negation is read per clause there
	if !st.negated() || comparisonOnly(st) {
		r.affiliations(st)
		r.namedAffiliations(st)
	}
	r.bothGroups(st)
	r.collaborations(st)
	if len(st.incidents) > 0 && !st.negated() {
		r.targetSectors(st, st.incidents[0].ent)
	}
	r.describe(st, described)
	r.noteActors(st)
	return st
}

// knownMentions is r.x.gaz.Find(text), found in the room the document's sentences
// share while it lasts. Appending to what it returns copies it out.
func (r *run) knownMentions(text string) []Mention {
	room := r.mentions[len(r.mentions):]
	m := r.x.gaz.appendFind(room, text)
	r.mentionsFound += len(m)
	if len(m) > 0 && cap(m) == cap(room) { // found in the room, not in a fresh array
		r.mentions = r.mentions[:len(r.mentions)+len(m)]
	}
	return m[:len(m):len(m)]
}

// stateMeant reports whether a state mention names the state, not a side taken ("a
// pro-Russian group", "anti-Israel hackers") nor the first word of another name ("the
// British Library", "Korean Air"): a demonym before a capitalised word that names
// nothing known and no agent ("North Korean Hackers" in a title stays).
func stateMeant(text string, m Mention, mentions []Mention) bool {
	before := text[:m.Start]
	if strings.HasSuffix(before, "pro-") || strings.HasSuffix(before, "Pro-") || strings.HasSuffix(before, "anti-") || strings.HasSuffix(before, "Anti-") {
		return false
	}
	after := text[m.End:]
	if !strings.HasPrefix(after, " ") || !capitalAt(after, 1) || !isDemonym(m.Surface) {
		return true
	}
	return slices.ContainsFunc(mentions, func(o Mention) bool { return o.Start == m.End+1 }) || demonymAgentRE.MatchString(after) || describedGroupRE.MatchString(after)
}

// dynamicMentions finds actors named the way crime groups are ("the Play ransomware
// gang"), and later bare mentions of those names ("Play") in the same document.
func (r *run) dynamicMentions(text string, known []Mention) []Mention {
	var out []Mention
	free := func(a, b int) bool {
		for _, m := range append(known, out...) {
			if a < m.End && m.Start < b {
				return false
			}
		}
		return true
	}
	for _, m := range ransomGangRE.FindAllStringSubmatchIndex(text, -1) {
		short := text[m[2]:m[3]]
		if notVictim[strings.ToLower(short)] || !free(m[2], m[1]) {
			continue
		}
		k := &Known{Kind: graph.KindActor, Name: short + " ransomware group", ActorKind: graph.ActorGroup, Names: []string{short}}
		if !slices.ContainsFunc(r.dynamic, func(d *Known) bool { return d.Name == k.Name }) {
			r.dynamic = append(r.dynamic, k)
		}
		out = append(out, Mention{Kind: graph.KindActor, Name: k.Name, Surface: text[m[2]:m[1]], Start: m[2], End: m[1], known: k})
	}
	for _, k := range r.dynamic {
		for _, name := range k.Names {
			for i := 0; i < len(text); {
				j := strings.Index(text[i:], name)
				if j < 0 {
					break
				}
				a, b := i+j, i+j+len(name)
				if boundary(text, a, b) && free(a, b) {
					out = append(out, Mention{Kind: graph.KindActor, Name: k.Name, Surface: name, Start: a, End: b, known: k})
				}
				i = b
			}
		}
	}
	return out
}

// patternActors finds actor names the reference lacks, by the shapes vendors give them.
// sw, if not nil, holds the word starts of s.
func patternActors(s, lower string, known []Mention, sw *sentenceWords) []Mention {
	var out []Mention
	overlaps := func(a, b int) bool {
		for _, m := range append(known, out...) {
			if a < m.End && m.Start < b {
				return true
			}
		}
		return false
	}
	var found [][]int
	if containsDigit(s) {
		found = actorCodeRE.findAll(s, -1, sw)
	}
	found = append(found, actorVendorRE.findAll(s, -1, sw)...) // gated on the suffixes
	for _, m := range found {
		if !overlaps(m[0], m[1]) {
			name := s[m[0]:m[1]]
			out = append(out, Mention{Kind: graph.KindActor, Name: canonicalPatternName(name), Surface: name, Start: m[0], End: m[1]})
		}
	}
	if !dubbedWordSet.holds(sw, lower) {
		return out
	}
	for _, m := range dubbedRE.findAll(s, -1, sw) {
		// Only names given to a group: "a group dubbed X", "tracked as X".
		before := s[max(0, m[0]-40):m[0]]
		if !groupNounRE.MatchString(before) && !strings.Contains(s[m[0]:m[1]], "tracked as") {
			continue
		}
		name := strings.TrimRight(s[m[2]:m[3]], "\"”'")
		if !overlaps(m[2], m[3]) && !notVictim[strings.ToLower(strings.Fields(name)[0])] {
			out = append(out, Mention{Kind: graph.KindActor, Name: name, Surface: name, Start: m[2], End: m[2] + len(name)})
		}
	}
	return out
}

// vendorSuffixes end the names vendors give state groups ("Jade Sleet", "Labyrinth
// Chollima", "Salt Typhoon").
var vendorSuffixes = []string{"Chollima", "Sleet", "Typhoon", "Blizzard", "Sandstorm", "Tempest", "Hail", "Cyclone", "Bear",
	"Panda", "Kitten", "Spider", "Pisces", "Taurus", "Scorpius", "Libra", "Ursa", "Aries", "Serpens", "Draco", "Lynx"}

var dubbedWordSet = newLitSet(dubbedWords)

var dubbedWords = []string{"dubbed", "tracked as", "known as", "called", "named", "codenamed", "code-named", "nicknamed", "label", "calls itself",
	"calling itself", "call themselves", "calling themselves"}

// canonicalPatternName writes "APT 38" and "APT-38" as "APT38".
func canonicalPatternName(s string) string {
	if strings.HasPrefix(s, "APT") {
		return "APT" + strings.TrimLeft(s[3:], " -")
	}
	return s
}

// claimant returns who the sentence says made its claim: an attributing body or a state
// next to a verb of saying ("the FBI said", "according to Chainalysis").
func (r *run) claimant(st *sentenceState) string {
	for _, m := range st.mentions {
		if m.Kind != graph.KindOrganization && m.Kind != graph.KindState && !(m.Kind == graph.KindActor && m.known != nil && m.known.ActorKind == graph.ActorAgency) {
			continue
		}
		after := st.text[m.End:]
		before := st.text[:m.Start]
		if claimPrefixRE.MatchString(before) || (m.Kind == graph.KindOrganization && says(claimVerbRE, after)) ||
			(m.Kind != graph.KindOrganization && says(stateSaysRE, skipWhen(after))) {
			return m.Name
		}
	}
	// A body the reference does not know, speaking: "CoinsPaid has blamed", "according to
	// Unit 42".
	var spans [][2]int
	for _, v := range st.all(speechVerbRE) {
		from := max(0, v[0]-80)
		if m := speakerTailRE.FindStringSubmatchIndex(st.text[from:v[0]]); m != nil {
			spans = append(spans, [2]int{from + m[2], from + m[3]})
		}
	}
	if strings.Contains(st.text, "ccording to") || strings.Contains(st.text, "iting") {
		for _, m := range st.all(accordingToRE) {
			spans = append(spans, [2]int{m[2], m[3]})
		}
	}
	for _, sp := range spans {
		if name, ok := r.speakerName(st, sp[0], sp[1]); ok {
			return name
		}
	}
	return ""
}

// speakerName reads the name of a speaker the reference lacks from st.text[start:end],
// the capitalised words before a verb of saying: ok is false when they are a pronoun, a
// role, a date or an actor, which do not attribute.
func (r *run) speakerName(st *sentenceState, start, end int) (string, bool) {
	name := strings.TrimRight(strings.TrimSpace(st.text[start:end]), ".,;:'’")
	if rest, ok := strings.CutPrefix(name, "The "); ok && strings.Contains(rest, " ") && capitalAt(rest, 0) {
		name = rest // "The British Library said"
	}
	if name == "" || notSpeaker[strings.ToLower(strings.Fields(name)[0])] || r.agentAt(st, start, end) {
		return "", false
	}
	return name, true
}

// speakerBefore returns who the clause that ends at pos is said by: "Phemex said
// hackers had drained", read back from pos to the verb of saying. ok is false when the
// clause has none.
func (r *run) speakerBefore(st *sentenceState, pos int) (string, bool) {
	var verb []int
	for _, v := range st.all(speechVerbRE) {
		if v[1] <= pos && !strings.ContainsAny(st.text[v[1]:pos], ";") {
			verb = v
		}
	}
	if verb == nil {
		return "", false
	}
	from := max(0, verb[0]-80)
	m := speakerTailRE.FindStringSubmatchIndex(st.text[from:verb[0]])
	if m == nil {
		return "", false
	}
	return r.speakerName(st, from+m[2], from+m[3])
}

// skipWhen returns s after the time a claim was made, when s opens with one: "South
// Korea on Tuesday blamed", "Japan last week blamed".
func skipWhen(s string) string {
	if !strings.HasPrefix(s, " on ") && !strings.HasPrefix(s, " last ") && !strings.HasPrefix(s, " this ") && !strings.HasPrefix(s, " earlier ") {
		return s
	}
	if loc := whenRE.FindStringIndex(s); loc != nil {
		return s[loc[1]:]
	}
	return s
}

// agentAt reports whether a span holds an actor or state mention: those act, they do
// not attribute.
func (r *run) agentAt(st *sentenceState, start, end int) bool {
	for _, m := range st.mentions {
		if m.Start < end && start < m.End && (m.Kind == graph.KindActor || m.Kind == graph.KindState) {
			return true
		}
	}
	return false
}

// findIncidents finds the incidents a sentence names or refers back to.
func (r *run) findIncidents(st *sentenceState) {
	text := st.text
	theftKind := func(noun string) graph.IncidentKind {
		if strings.Contains(strings.ToLower(noun), "ransom") {
			return graph.IncidentRansomware // "the ransom Colonial Pipeline paid"
		}
		switch strings.ToLower(noun) {
		case "hack", "heist", "theft", "robbery", "exploit", "raid", "drain", "cyber heist", "cyberheist":
			return graph.IncidentTheft
		}
		if st.has(ransomwareRE) {
			return graph.IncidentRansomware
		}
		if len(st.amounts) > 0 && len(st.all(stolenCueRE)) > 0 {
			return graph.IncidentTheft
		}
		return graph.IncidentOther
	}
	add := func(e *Entity, start, end int, explicit bool) {
		for _, ref := range st.incidents {
			if ref.ent == e {
				return
			}
		}
		st.incidents = append(st.incidents, incidentRef{ent: e, start: start, end: end, explicit: explicit})
		r.current = e
	}
	victimIncident := func(victim, surface, noun string, start, end int) *Entity {
		victim = r.victimName(victim, st) // see events.go
		if victim == "" || r.isKnownNonVictim(victim, st) {
			return nil
		}
		// "the Harmony intrusion" after "the Harmony Horizon Bridge hack": one incident.
		nv := graph.Normalize(victim) + " "
		for v, inc := range r.victims {
			// "Exchange" after "Microsoft Exchange": the last words of a victim's name.
			if strings.HasPrefix(v+" ", nv) || strings.HasPrefix(nv, v+" ") || strings.HasSuffix(" "+v+" ", " "+nv) {
				inc.Mentions = appendUnique(inc.Mentions, strings.TrimSpace(surface))
				if v+" " == nv {
					org := r.entity("organization", victim, victim, text)
					org.Role = "victim"
					r.relate("TARGETED", inc, org, st, text)
				} // a shorter or longer name of the victim is the same victim, not another
				add(inc, start, end, true)
				return inc
			}
		}
		kind := theftKind(noun)
		name := victim + " hack"
		if kind == graph.IncidentRansomware {
			name = victim + " ransomware attack"
		}
		inc := r.entity("incident", name, surface, text)
		inc.IncidentKind = cmp.Or(inc.IncidentKind, kind)
		r.victims[graph.Normalize(victim)] = inc
		if productRE.MatchString(text[end:]) {
			add(inc, start, end, true)
			return inc // "Microsoft Exchange email servers": a product was hit, its users are the victims
		}
		org := r.entity("organization", victim, victim, text)
		org.Role = "victim"
		r.relate("TARGETED", inc, org, st, text)
		add(inc, start, end, true)
		return inc
	}
	// "the 2017 NotPetya malware attack": an incident known by its malware.
	for _, m := range st.all(malwareIncidentRE) {
		name := text[m[2]:m[3]]
		if w := strings.Fields(name); len(w) == 2 && notVictim[strings.ToLower(w[0])] {
			name = w[1] // "The NightHarbor ransomware attack" opening a sentence
		}
		if r.isKnownNonVictim(name, st) || notVictim[strings.ToLower(strings.Fields(name)[0])] {
			continue
		}
		inc := r.entity("incident", name, name, text)
		inc.IncidentKind = graph.IncidentOther
		if text[m[4]:m[5]] == "ransomware" {
			inc.IncidentKind = graph.IncidentRansomware
		}
		add(inc, m[0], m[1], true)
	}
	r.findEvents(st, add, func(v string, start, end int) *Entity { return victimIncident(v, "", "attack", start, end) }) // see events.go
	r.namedIncidentRefs(st, add)
	r.listedVictims(st, func(v string, start, end int) *Entity { return victimIncident(v, "", "theft", start, end) })
	// "CoinsPaid has blamed the Lazarus Group for a $37.2 million heist".
	if st.claimant != "" && !r.isKnownNonVictim(st.claimant, st) {
		if i := strings.Index(text, st.claimant); i >= 0 {
			if loc := blamedForRE.FindStringIndex(text[i+len(st.claimant):]); loc != nil {
				rest := text[i+len(st.claimant)+loc[1]:]
				if n := theftNounRE.FindStringIndex(rest); n != nil && n[0] < 60 {
					victimIncident(st.claimant, "", rest[n[0]:n[1]], i, i+len(st.claimant))
				}
			}
		}
	}
	// "CoinVault said hackers drained $30 million from its hot wallets": the speaker lost it.
	if len(st.incidents) == 0 && st.has(fromItsRE) {
		speaker := st.claimant
		f := st.all(fromItsRE)[0]
		if s, ok := r.speakerBefore(st, f[0]); ok {
			speaker = s // "Phemex said hackers had drained ... from its hot wallets; Elliptic said ..."
		}
		if i := strings.Index(text, speaker); speaker != "" && i >= 0 && !r.isKnownNonVictim(speaker, st) {
			victimIncident(speaker, "", "hack", i, i+len(speaker))
		}
	}
	// "The British Library said a ransomware attack had stolen data of its users": the
	// speaker was hit.
	if st.claimant != "" && len(st.incidents) == 0 && st.has(attackOnItsRE) && !r.isKnownNonVictim(st.claimant, st) {
		if i := strings.Index(text, st.claimant); i >= 0 {
			noun := "hack"
			if st.has(ransomwareRE) {
				noun = "ransomware attack"
			}
			victimIncident(st.claimant, "", noun, i, i+len(st.claimant))
		}
	}
	// "Radiant Capital, a lending protocol, says ... the heist it suffered": the subject.
	if len(st.incidents) == 0 && st.has(itSufferedRE) {
		if v, start, end := r.sufferer(st); v != "" {
			victimIncident(v, "", "hack", start, end)
		}
	}
	// "the ransom Colonial Pipeline paid", "UnitedHealth paid a $22 million ransom".
	if len(st.incidents) == 0 && (!st.index().trusted || ransomWordSet.nextIn(st.index(), text, 0) >= 0) {
		for _, m := range capPhrases(text) {
			if ransomPayer(text, m[0], m[1]) {
				victimIncident(text[m[0]:m[1]], "", "ransomware attack", m[0], m[1])
				break
			}
		}
	}
	// "Indian cryptocurrency exchange WazirX lost more than $230 million": the subject.
	if len(st.incidents) == 0 {
		if v, start, end := r.subjectVictim(st); v != "" {
			victimIncident(v, "", "hack", start, end)
		}
	}
	// "the Bybit hack", "Ronin bridge heist": find the noun, then read the name before it.
	lastEnd := 0
	for _, n := range st.all(theftNounRE) {
		from := max(lastEnd, n[0]-120)
		if !victimNounBefore(text[from:n[0]]) || !victimNounRE.canEnd(text[from:n[1]]) {
			continue // only a match ending at the noun counts
		}
		for _, m := range victimNounRE.FindAllStringSubmatchIndex(text[from:n[1]], -1) {
			if from+m[1] != n[1] {
				continue
			}
			victimIncident(text[from+m[2]:from+m[3]], text[from+m[0]:from+m[1]], text[from+m[4]:from+m[5]], from+m[0], from+m[1])
			lastEnd = n[1]
		}
	}
	// "stole $1.5 billion from Bybit", "the hack of Coincheck", "Bybit was hacked"
	for _, m := range capPhrases(text) {
		before := text[:m[0]]
		if window := before[max(0, len(before)-120):]; (victimPrepTail(window) && victimPrepMatches(window)) || victimVerbMay(text[m[1]:]) && victimVerbRE.MatchString(text[m[1]:]) {
			noun := "hack"
			if n := theftNounRE.FindAllString(before, -1); len(n) > 0 {
				noun = n[len(n)-1]
			}
			end := wholeWords(text, m[0], m[1])
			if groupAfterRE.MatchString(text[end:]) {
				continue // "blamed the attack on DarkSide, a ransomware gang": the culprit
			}
			if threatenedRE.MatchString(before[max(0, len(before)-120):]) {
				continue // "threatened attacks on cinemas showing The Interview": no attack yet
			}
			if inc := victimIncident(text[m[0]:end], "", noun, m[0], end); inc != nil {
				for _, s := range r.victimSurfaces(st, m[0], end) {
					inc.Mentions = appendUnique(inc.Mentions, s)
				}
			}
		}
	}
	// "the $1.3 billion cyber theft", "the theft of an estimated $1.3 billion": a theft
	// known by its amount when no victim is named.
	if len(st.incidents) == 0 && !st.has(aggregateRE) {
		for _, a := range st.amounts {
			if a.ValueUSD == nil {
				continue
			}
			head := amountNounRE.FindStringSubmatch(text[a.End:])
			if head == nil && !theftOfRE.MatchString(text[:a.Start]) {
				continue
			}
			year := r.year
			for _, d := range st.dates {
				year = d.Value[:4]
			}
			name := a.Surface + " theft"
			if year != "" {
				name += " (" + year + ")"
			}
			key := fmt.Sprintf("amount-incident|%s|%v", a.Currency, a.Value)
			inc := r.ents[key]
			if inc == nil {
				inc = r.entity("incident", name, "", text)
				r.ents[key] = inc
			}
			inc.IncidentKind = graph.IncidentTheft
			surface := a.Surface
			if head != nil {
				surface = strings.TrimSpace(text[a.Start : a.End+len(head[0])])
			}
			inc.Mentions = appendUnique(inc.Mentions, surface)
			add(inc, a.Start, a.End, true)
		}
		r.describedVictim(st)
	}
	if len(st.incidents) == 0 {
		r.indefiniteIncident(st, add) // "in a cyberattack in September"
	}
	if len(st.incidents) == 0 {
		r.campaign(st, add) // "Volt Typhoon has been quietly breaking into ..."
	}
	r.amongVictims(st) // "named AT&T and Verizon among the carriers that were breached"
	// "the attack hit Maersk": an incident reference, a verb of harm, a named victim.
	defer func() {
		for _, ref := range st.incidents {
			rest := text[ref.end:]
			loc := hitVerbRE.FindStringIndex(rest)
			if loc == nil {
				continue
			}
			if p := capPhraseRE.FindStringIndex(rest[loc[1]:]); p != nil && p[0] == 0 {
				victim := cleanVictim(rest[loc[1] : loc[1]+p[1]])
				if victim != "" && !r.isKnownNonVictim(victim, st) {
					org := r.entity("organization", victim, victim, text)
					org.Role = "victim"
					r.relate("TARGETED", ref.ent, org, st, text)
				}
			}
		}
	}()
	// "the heist", "the June 24 heist": the incident last named.
	if r.current != nil {
		for _, m := range anaphors(text, st.all(theftNounRE)) {
			inside := false
			for _, ref := range st.incidents {
				if m[0] < ref.end && ref.start < m[1] {
					inside = true
				}
			}
			if owner := anaphorOwner(st, m[0], m[1]); owner != nil {
				owner.Mentions = appendUnique(owner.Mentions, strings.TrimSpace(text[m[0]:m[1]]))
			} else if !inside {
				r.current.Mentions = appendUnique(r.current.Mentions, strings.TrimSpace(text[m[0]:m[1]]))
				add(r.current, m[0], m[1], false)
			}
		}
	}
	r.deedRefs(st, add)
	for _, ref := range st.incidents {
		for _, d := range st.dates {
			// Of several incidents, a date belongs to the nearest: "the Bangladesh Bank
			// heist was carried out by the hackers behind the 2014 attack on Sony".
			if len(st.incidents) > 1 && nearestRef(st.incidents, d.Start, d.End) != ref.ent {
				continue
			}
			if len(d.Value) > len(ref.ent.Date) && (ref.ent.Date == "" || strings.HasPrefix(d.Value, ref.ent.Date)) {
				ref.ent.Date = d.Value
				ref.ent.dated = ref.explicit && !d.Inferred // a date the text ties to the incident it names
			}
		}
	}
}

// anaphors finds "the heist", "the June 24 heist", "this attack": a theft noun first,
// then the determiner and modifiers before it.
func anaphors(text string, nouns [][]int) [][]int {
	var out [][]int
	for _, n := range nouns {
		from := max(0, n[0]-80)
		if !anaphorMayEnd(text[from:n[1]]) || !anaphorRE.canEnd(text[from:n[1]]) {
			continue // only a match ending at the noun counts
		}
		for _, m := range anaphorRE.FindAllStringIndex(text[from:n[1]], -1) {
			if from+m[1] == n[1] {
				out = append(out, []int{from + m[0], n[1]})
				break
			}
		}
	}
	return out
}

func appendUnique(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// capPhrases returns the spans of capitalised phrases: candidate organisation names.
func capPhrases(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		if i > 0 && isWordByte(text[i-1]) {
			i++
			continue
		}
		n := -1
		if capWordAt(text, i) {
			n = capPhraseLen(text[i:])
		}
		if n < 0 {
			i++
			continue
		}
		out = append(out, [2]int{i, i + n})
		i += n + 1
	}
	return out
}

// capWordAt reports whether s[p:] starts the way the first word of capPhraseRE and
// victimNounRE must: a capital, a camel-cased word ("eBay") or digits glued to a letter
// ("1inch"). Most words are lower case, and neither expression starts with a word a
// scan could look for; TestCapWordAtGatesCapPhrase and the cue tests pin this to both.
func capWordAt(s string, p int) bool {
	if p >= len(s) {
		return false
	}
	s = s[p:]
	isLower := func(b byte) bool { return 'a' <= b && b <= 'z' }
	isUpper := func(b byte) bool { return 'A' <= b && b <= 'Z' }
	isDigit := func(b byte) bool { return '0' <= b && b <= '9' }
	switch c := s[0]; {
	case isUpper(c):
		return true
	case isLower(c), isDigit(c):
		i := 0
		for i < len(s) && (isLower(c) && isLower(s[i]) || isDigit(c) && isDigit(s[i])) {
			i++
		}
		return i < len(s) && (isUpper(s[i]) || isDigit(c) && isLower(s[i]))
	}
	return false
}

// malwareWithin reports whether malwareIncidentRE's malware word and incident noun
// ("malware attack", "wiper campaign") may follow p: one of malwareWords starts one of
// the three words after the one at p (a year, a name of at most two words), ends
// before white space, and one of malwareNouns starts the word after it. The expression
// is case-sensitive. A theft cue word in a sentence ("cyberattack", "attackers") is
// enough for its word sets, and it would run from every capitalised word.
// TestMalwareWithinGatesMalwareIncident and FuzzHandWrittenGates pin this to the
// expression.
func malwareWithin(s string, p int) bool {
	for range 3 {
		p = nextWord(s, p)
		for _, w := range malwareWords {
			q := p + len(w)
			if !strings.HasPrefix(s[p:], w) || q == len(s) || !reSpace(s[q]) {
				continue
			}
			for q < len(s) && reSpace(s[q]) {
				q++
			}
			if slices.ContainsFunc(malwareNouns, func(n string) bool { return strings.HasPrefix(s[q:], n) }) {
				return true
			}
		}
	}
	return false
}

// malwareWords and malwareNouns are the two words malwareIncidentRE ends with, the
// nouns as prefixes ("attack" stands for "attacks").
var (
	malwareWords = []string{"malware", "ransomware", "wiper", "worm", "cyber", "destructive"}
	malwareNouns = []string{"attack", "campaign", "outbreak", "cyberattack", "cyber-attack", "incident"}
)

// victimNounAt reports whether victimNounRE may match at p: a capitalised word starts
// there (capWordAt), and after it and at most four more such words, each after white
// space, a word starts that can follow a name: a word of victimNounNext ("bridge",
// "crypto", "hack") or an amount ("$1.5 billion"). The expression is case-sensitive,
// and its name words, modifiers and nouns are all separated by white space. Without
// this, findIncidents would run the expression from every capitalised word of the 120
// bytes before a theft noun ("The FBI said Lazarus Group ..."), each run a long
// backtrack. TestCueGatesFlagEveryMatch and FuzzHandWrittenGates pin this to the
// expression.
func victimNounAt(s string, p int) bool {
	if !capWordAt(s, p) {
		return false
	}
	for range 5 {
		p = nextWord(s, p) // past the name word
		if p == len(s) {
			return false
		}
		if s[p] == '$' || slices.ContainsFunc(victimNounNext, func(w string) bool { return strings.HasPrefix(s[p:], w) }) {
			return true
		}
		if !capWordAt(s, p) {
			return false
		}
	}
	return false
}

// victimNounBefore reports whether victimNounRE may match up to a theft noun that w
// comes before: white space must part them, and the word before it must be one a match
// holds there (victimNounWordMay). Most theft nouns follow "the" or "a", and canEnd
// reads back from each. TestVictimNounBeforeGatesVictimNoun pins it.
func victimNounBefore(w string) bool {
	e := len(w)
	if e == 0 || !reSpace(w[e-1]) {
		return false
	}
	b, e := wordBefore(w, e)
	return b < e && victimNounWordMay(w[b:e])
}

// victimNounWordMay reports whether w may be a word of a victimNounRE match before its
// noun: a name's word (a capital letter, a number, an amount), one of victimNounWords
// with an apostrophe and s after it or not, or a word a match may start inside, where
// a name does: at a capital letter, or at digits a letter follows ("eBay", "x3CX").
func victimNounWordMay(w string) bool {
	switch c := w[0]; {
	case 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '$':
		return true
	case 'a' <= c && c <= 'z' && victimNounWords[trimPossessive(w)]:
		return true
	}
	for i := 0; i < len(w); i++ {
		if 'A' <= w[i] && w[i] <= 'Z' || i > 0 && '0' <= w[i-1] && w[i-1] <= '9' && isASCIILetter(rune(w[i])) {
			return true
		}
	}
	return false
}

// trimPossessive cuts an apostrophe and s, or an apostrophe, from the end of w.
func trimPossessive(w string) string {
	for _, end := range []string{"'s", "’s", "'", "’"} {
		if strings.HasSuffix(w, end) {
			return w[:len(w)-len(end)]
		}
	}
	return w
}

// victimNounWords are the lower-case words victimNounRE lets stand between a name and
// its noun, and those a name may end with ("the Ronin bridge hack", "a $100 million
// crypto heist", "the hot-wallet breach").
var victimNounWords = map[string]bool{"bridge": true, "network": true, "exchange": true, "protocol": true, "wallet": true,
	"platform": true, "crypto": true, "cryptocurrency": true, "security": true, "cyber": true, "hot": true, "hot-wallet": true,
	"smart": true, "smart-contract": true, "contract": true, "flash": true, "flash-loan": true, "loan": true, "supply": true,
	"supply-chain": true, "chain": true, "ransomware": true, "email": true, "data": true, "billion": true, "million": true,
	"bn": true, "m": true}

// victimNounNext are the words victimNounRE lets follow a name: its name suffixes
// ("bridge"), its modifiers ("crypto", "hot wallet") and its nouns ("hack"), as
// prefixes ("cyber" stands for "cyberattack" too).
var victimNounNext = []string{"bridge", "network", "exchange", "protocol", "wallet", "platform", "crypto", "security", "cyber",
	"hot", "smart", "flash", "supply", "ransomware", "email", "data", "hack", "heist", "exploit", "breach", "theft", "robbery",
	"compromise", "attack", "intrusion", "raid"}

// victimPrepEnds are the words victimPrepRE's cue ends with, before the few words that
// lead to the victim's name; victimPrepPreps, those of its "hack of" cue, stand alone
// after a theft noun (victimPrepNouns), plural or not, and one space.
var (
	victimPrepEnds = []string{"from", "hacked", "breached", "compromised", "exploited", "drained", "robbed", "attacked",
		"targeted", "infiltrated"}
	victimPrepPreps = []string{"of", "on", "at", "against", "targeting"}
	victimPrepNouns = []string{"hack", "hacking", "heist", "theft", "breach", "attack", "exploit", "compromise", "robbery", "raid",
		"intrusion", "cyberattack"}
	// victimPrepTaken are the words that take from a victim: "stole $5m from".
	victimPrepTaken = []string{"stole", "stolen", "steal", "stealing", "drained", "draining", "siphoned", "siphoning", "took",
		"taken", "taking", "made off with", "looted", "looting", "swiped", "pilfered", "nabbed", "grabbed", "lost", "withdrawn",
		"robbed", "theft", "heist", "robbery"}
)

// victimPrepLast holds the last bytes, in either case, of victimPrepEnds and
// victimPrepPreps.
var victimPrepLast = func() (t [256]bool) {
	for _, w := range slices.Concat(victimPrepEnds, victimPrepPreps) {
		t[w[len(w)-1]], t[upperASCII(w[len(w)-1])] = true, true
	}
	return t
}()

// The parts of victimPrepRE: a noun and its preposition, a taking word and "from", or a
// verb, then the few words that lead to the victim's name.
var (
	victimPrepNounsAlt = strings.Join(victimPrepNouns, "|")
	victimPrepPrepsAlt = strings.Join(victimPrepPreps, "|")
	victimPrepTakenAlt = strings.Join(victimPrepTaken, "|")
	victimPrepVerbsAlt = strings.Join(victimPrepEnds[1:], "|")
	victimPrepLead     = `\s+(?:the\s+|a\s+|an\s+)?(?-i:(?:[a-z][\w-]*|\w+-based|DeFi|\(DeFi\)|Web3)\s+){0,5}$`
)

// victimPrepMatches is victimPrepRE.MatchString(w). Its "stole ... from" branch counts
// up to 80 characters between the words, which Go's regexp unrolls into a program too
// large for its backtracker; stolenFrom reads that branch by hand, and a smaller
// expression the others. TestVictimPrepMatchesIsTheExpression pins it.
func victimPrepMatches(w string) bool {
	if !trusted(w) || !utf8.ValidString(w) {
		return victimPrepRE.MatchString(w)
	}
	return victimPrepNearRE.MatchString(w) || stolenFrom(w)
}

// stolenFrom reports whether w ends with "from" and the few words victimPrepLead
// takes, after one of victimPrepTaken and at most 80 characters that hold no semicolon
// and no full stop but one before a digit: what (?:taken)\b(?:[^.;]|\.\d){0,80}?\bfrom
// then the lead match, for valid UTF-8 without the runes Unicode folds onto ASCII
// letters.
func stolenFrom(w string) bool {
	for f := 0; f+4 <= len(w); f++ {
		if !hasPrefixFold(w[f:], "from") || (f > 0 && asciiWord[w[f-1]]) || !victimPrepLeadRE.MatchString(w[f+4:]) {
			continue
		}
		// Read back from "from": the span [pos, f) must be at most 80 units, each a
		// character but "." and ";", or "." and a digit.
		units := 0
		for pos := f; pos > 0; {
			r, size := utf8.DecodeLastRuneInString(w[:pos])
			switch {
			case r == ';':
				pos = 0
				continue
			case r == '.':
				if pos == f || !('0' <= w[pos] && w[pos] <= '9') {
					pos = 0 // a full stop that no digit follows
					continue
				}
				// The digit after it, counted alone, now counts with it.
			default:
				units++
			}
			if units > 80 {
				break
			}
			pos -= size
			// A taking word ends at pos, at a word boundary, and starts at one.
			if pos < f && !asciiWord[w[pos]] && pos > 0 && asciiWord[w[pos-1]] {
				for _, t := range victimPrepTaken {
					if b := pos - len(t); b >= 0 && hasPrefixFold(w[b:], t) && (b == 0 || !asciiWord[w[b-1]]) {
						return true
					}
				}
			}
		}
	}
	return false
}

// appositive returns the comma clause s opens with: white space, a comma, 1 to 100
// characters without a comma or semicolon, then a comma, as ^\s*,[^,;]{1,100}, finds
// it, read by hand: the counted repeat makes Go's regexp try a hundred states at each
// character. TestAppositiveIsAppositiveRE pins it to the expression.
func appositive(s string) []int {
	i := 0
	for i < len(s) && reSpace(s[i]) {
		i++
	}
	if i == len(s) || s[i] != ',' {
		return nil
	}
	j, n := i+1, 0
	for ; j < len(s) && n < 100 && s[j] != ',' && s[j] != ';'; n++ {
		_, w := utf8.DecodeRuneInString(s[j:])
		j += w
	}
	if n == 0 || j == len(s) || s[j] != ',' {
		return nil
	}
	return []int{0, j + 1}
}

// ransomwareSet and lastThisSet are words read looks for in every sentence's lower-cased
// copy, anywhere: the word index answers for them.
var (
	ransomwareSet = newLitSet([]string{"ransomware"})
	lastThisSet   = newLitSet([]string{"last ", "this "})
)

// containsDigit reports whether s holds an ASCII digit: strings.ContainsAny, in a loop
// the compiler keeps tight.
func containsDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
}

// reSpace is \s in Go's regexp syntax: the white space the cue expressions put
// between words.
func reSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r' }

// nextWord returns where the word after the one at p starts: past p's word and the
// white space after it.
func nextWord(s string, p int) int {
	for p < len(s) && !reSpace(s[p]) {
		p++
	}
	for p < len(s) && reSpace(s[p]) {
		p++
	}
	return p
}

// wordBefore returns the bounds of the last word of s[:e], past the white space it
// ends with; b == end when there is none.
func wordBefore(s string, e int) (b, end int) {
	for e > 0 && reSpace(s[e-1]) {
		e--
	}
	b = e
	for b > 0 && !reSpace(s[b-1]) {
		b--
	}
	return b, e
}

// victimPrepTail reports whether victimPrepRE may match w. Its matches reach the end of
// w: a word ending in one of victimPrepEnds ("from", "hacked"), or one of victimPrepPreps
// after a theft noun ("hacks of"), then at most six words (an article and five
// lower-case words), each followed by white space. capPhrases
// asks once per capitalised phrase, and most are not preceded by such a word; the
// regexp, which cannot know where to start, would try every cue word in the window.
// TestVictimPrepTailGatesVictimPrep pins this to the expression.
func victimPrepTail(w string) bool {
	if !trusted(w) {
		return true
	}
	e := len(w)
	if e == 0 || !reSpace(w[e-1]) {
		return false
	}
	for range 7 {
		var b int
		if b, e = wordBefore(w, e); b == e {
			return false
		}
		if !victimPrepLast[w[e-1]] {
			e = b
			continue // no word of victimPrepEnds or victimPrepPreps ends so
		}
		for _, end := range victimPrepEnds {
			if len(end) <= e-b && hasPrefixFold(w[e-len(end):e], end) {
				return true
			}
		}
		for _, prep := range victimPrepPreps {
			if len(prep) == e-b && hasPrefixFold(w[b:e], prep) && afterTheftNoun(w[:b]) {
				return true
			}
		}
		e = b
	}
	return false
}

// afterTheftNoun reports whether w ends with one of victimPrepNouns, plural or not, at
// the start of a word, and one space.
func afterTheftNoun(w string) bool {
	if len(w) < 2 || w[len(w)-1] != ' ' {
		return false
	}
	w = w[:len(w)-1]
	for _, head := range []string{w, strings.TrimSuffix(strings.TrimSuffix(w, "s"), "S")} {
		for _, n := range victimPrepNouns {
			if at := len(head) - len(n); at >= 0 && hasPrefixFold(head[at:], n) && (at == 0 || !asciiWord[head[at-1]]) {
				return true
			}
		}
	}
	return false
}

// anaphorMayEnd reports whether anaphorRE may match at the end of w, which ends with a
// theft noun: the noun is w's last word, and the word before it (after white space)
// ends the determiner ("the", "its", "June 24", "2022's") or is a modifier
// (anaphorModifiers, "$1.5 billion", "multi-million"). Most nouns follow a name ("the
// Bybit hack") or a verb, and the expression, read backwards, costs microseconds.
// TestAnaphorMayEndGatesAnaphor and FuzzHandWrittenGates pin this to the expression.
func anaphorMayEnd(w string) bool {
	if !trusted(w) {
		return true
	}
	e := len(w)
	for e > 0 && !reSpace(w[e-1]) {
		e-- // the noun
	}
	b, e := wordBefore(w, e)
	if b == e {
		return false // no word before the noun
	}
	word := w[b:e]
	endsWith := func(s, suffix string) bool {
		return len(s) >= len(suffix) && hasPrefixFold(s[len(s)-len(suffix):], suffix)
	}
	for _, det := range []string{"the", "this", "that", "its"} {
		if at := len(word) - len(det); endsWith(word, det) && (at == 0 || !asciiWord[word[at-1]]) {
			return true
		}
	}
	for _, tail := range []string{"'s", "’s"} {
		if endsWith(word, tail) {
			word = word[:len(word)-len(tail)]
			break
		}
	}
	if word != "" && '0' <= word[len(word)-1] && word[len(word)-1] <= '9' || strings.HasPrefix(word, "$") {
		return true
	}
	for _, mod := range anaphorModifiers {
		if len(mod) == len(word) && hasPrefixFold(word, mod) || (mod == "dollar" || mod == "million" || mod == "billion") && endsWith(word, mod) {
			return true
		}
	}
	return false
}

// anaphorModifiers are the words anaphorRE lets stand between a determiner and a theft
// noun, and the words its amounts end with ("billion", "bn").
var anaphorModifiers = []string{"same", "massive", "major", "huge", "record", "record-breaking", "latest", "recent", "crypto",
	"cryptocurrency", "cyber", "digital", "alleged", "big", "biggest", "largest", "attack", "security", "reported", "apparent",
	"initial", "high-profile", "roughly", "about", "some", "nearly", "around", "approximately", "estimated", "dollar", "million",
	"billion", "bn", "m"}

// capitalAt reports whether a capitalised word starts at p.
func capitalAt(s string, p int) bool {
	return 'A' <= s[p] && s[p] <= 'Z' && (p == 0 || !asciiWord[s[p-1]])
}

// anaphorAt reports whether anaphorRE may match at p: a word starts there, and it is
// "the", "this", "that" or "its", four digits, or a word followed by a space and a
// digit ("June 24").
func anaphorAt(s string, p int) bool {
	if !asciiWord[s[p]] || (p > 0 && asciiWord[s[p-1]]) {
		return false
	}
	for _, w := range []string{"the", "this", "that", "its"} {
		if hasPrefixFold(s[p:], w) {
			return true
		}
	}
	isDigit := func(b byte) bool { return '0' <= b && b <= '9' }
	e := p
	for e < len(s) && asciiWord[s[e]] {
		e++
	}
	if e+1 < len(s) && s[e] == ' ' && isDigit(s[e+1]) {
		return true
	}
	return e-p >= 4 && isDigit(s[p]) && isDigit(s[p+1]) && isDigit(s[p+2]) && isDigit(s[p+3])
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

// cleanVictim trims an organisation name to its core: no leading article or possessive.
func cleanVictim(v string) string {
	v = strings.TrimRight(strings.TrimSpace(v), ".,;:!?")
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(v, "'s"), "’s"))
	words := strings.Fields(v)
	for len(words) > 0 && (notVictim[strings.ToLower(words[0])] || len(words) > 1 && !namesSomething(words[0]) && strings.ToLower(words[0]) == words[0]) {
		words = words[1:] // "the", "exchange CoinEx"
	}
	for len(words) > 0 && (strings.ToLower(words[len(words)-1]) == "of" || strings.ToLower(words[len(words)-1]) == "and") {
		words = words[:len(words)-1]
	}
	if !slices.ContainsFunc(words, namesSomething) {
		return "" // "a theft from a Nordic platform" names no victim
	}
	return strings.Join(words, " ")
}

// namesSomething reports whether a word of a victim's name can make it a name: it holds
// a capital or a digit ("Kroner", "eToro", "3Commas") and is no region's adjective
// (a state's, "Japanese exchange", is read where victims are placed: see events.go).
func namesSomething(w string) bool {
	return strings.ContainsFunc(w, func(r rune) bool { return 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' }) &&
		!regionWords[strings.ToLower(w)]
}

// regionWords are the adjectives of regions that stand before what a text leaves
// unnamed ("a Nordic platform", "a European exchange"): alone, they name no victim.
var regionWords = map[string]bool{"nordic": true, "european": true, "asian": true, "african": true, "western": true,
	"eastern": true, "scandinavian": true, "baltic": true, "arab": true, "latin": true, "pacific": true, "balkan": true,
	"caribbean": true, "global": true, "international": true, "regional": true, "foreign": true, "domestic": true, "local": true,
	"offshore": true, "overseas": true}

// isKnownNonVictim reports whether a phrase names a state, an actor or an attributing
// body: those are not victims of the incident the sentence describes.
func (r *run) isKnownNonVictim(v string, st *sentenceState) bool {
	found := r.x.gaz.Find(v)
	// "a Japanese exchange": the only name in it is a state's, which places it.
	named := false
	for at := 0; at < len(v) && !named; at = nextWord(v, at) {
		w := v[at:]
		if i := strings.IndexAny(w, " \t\n"); i >= 0 {
			w = w[:i]
		}
		named = namesSomething(w) && !slices.ContainsFunc(found, func(m Mention) bool { return m.Kind == graph.KindState && m.Start <= at && at < m.End })
	}
	if !named {
		return true
	}
	for _, m := range found {
		// "Lazarus heist", "North Korean hack" name the culprit; "Bangladesh Bank" is a victim.
		if m.Start == 0 && (m.Kind == graph.KindActor || ((m.Kind == graph.KindState || m.Kind == graph.KindOrganization) && m.End == len(v))) {
			return true
		}
	}
	for _, m := range patternActors(v, strings.ToLower(v), nil, nil) {
		if m.Start == 0 {
			return true
		}
	}
	return false
}

// amountsOf lists the sentence's amounts and ties stolen ones to the incident.
func (r *run) amountsOf(st *sentenceState) {
	var inc *Entity
	for _, ref := range st.incidents {
		if ref.explicit || inc == nil {
			inc = ref.ent
			if ref.explicit {
				break
			}
		}
	}
	if inc == nil {
		inc = r.stolenFromCurrent(st) // "The stolen bitcoin was worth 48.2 billion yen"
	}
	aggregate := inc != nil && st.has(aggregateRE)
	var prev *AmountMention // the amount before, and whether it was stolen
	prevEnd := 0
	for _, a := range st.amounts {
		am := &AmountMention{Surface: a.Surface, Value: a.Value, Currency: a.Currency, ValueUSD: a.ValueUSD, Approximate: a.Approximate}
		r.res.Amounts = append(r.res.Amounts, am)
		if inc == nil {
			continue
		}
		// Of several incidents the sentence names, an amount belongs to the nearest:
		// "the 2014 hack of Sony Pictures, the 2016 theft of $81 million from Bangladesh Bank".
		owner := nearestIncident(st.text, st.incidents, a, inc)
		name := owner.Name
		am.Incident = &name
		// "Colonial paid 75 bitcoin, then worth roughly $4.4 million": the value of the
		// amount before is what that amount was.
		if prev != nil && a.Start >= prevEnd && worthOfRE.MatchString(st.text[prevEnd:a.Start]) {
			if prev.Stolen && prev.Incident != nil && *prev.Incident == name {
				am.Stolen = true
				r.relateAmount(owner, am, st)
			}
			prev, prevEnd = am, a.End
			continue
		}
		prev, prevEnd = am, a.End
		if aggregate || attempted(st.text, a.Start) || listTotal(st, a) || !stolenAmount(st.all(stolenCueRE), st.all(notStolenCueRE), a) && !ransomPaid(st.text, a, owner) && !movedOut(st, a) {
			continue
		}
		am.Stolen = true
		r.relateAmount(owner, am, st)
	}
}

// movedOut reports whether an amount was moved out of its owner's hands: "moved more
// than 400,000 ETH out of one of the exchange's cold wallets" (see movedOutExpr).
func movedOut(st *sentenceState, a Amount) bool {
	return slices.ContainsFunc(st.all(movedOutRE), func(m []int) bool { return m[0] <= a.Start && a.End <= m[1] })
}

// nearestIncident returns, when a sentence names more than one incident explicitly, the
// one whose words stand nearest an amount; otherwise inc.
func nearestIncident(text string, refs []incidentRef, a Amount, inc *Entity) *Entity {
	best, dist, explicit := inc, 1<<30, 0
	for _, ref := range refs {
		if !ref.explicit {
			continue
		}
		explicit++
		d := 0
		switch {
		case ref.end <= a.Start:
			d = a.Start - ref.end
		case ref.start >= a.End:
			d = ref.start - a.End
			if d <= 60 && fromGapRE.MatchString(text[a.End:ref.start]) {
				d = 0 // "$60 million from Alphapo"
			}
		}
		if d < dist {
			best, dist = ref.ent, d
		}
	}
	if explicit < 2 {
		return inc
	}
	return best
}

// stolenAmount decides from the nearest cue word whether an amount was stolen, or was
// laundered, recovered, frozen, offered as a bounty and so on.
func stolenAmount(stolenCues, notStolenCues [][]int, a Amount) bool {
	nearest := func(cues [][]int) int {
		best := 1 << 30
		for _, m := range cues {
			d := 0
			switch {
			case m[1] <= a.Start:
				d = a.Start - m[1]
			case m[0] >= a.End:
				d = m[0] - a.End + 10 // a cue before the amount governs it more often
			}
			best = min(best, d)
		}
		return best
	}
	stolen, not := nearest(stolenCues), nearest(notStolenCues)
	return stolen < 1<<30 && stolen <= not
}

// agentAt returns the actor or state mention that fills the "who did it" slot
// right after a cue (pos is the cue's end), within a short window.
func agentAfter(st *sentenceState, pos int) *Mention {
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.Start < pos || m.Start-pos > 60 {
			continue
		}
		if m.Kind != graph.KindActor && m.Kind != graph.KindState {
			if m.Kind == graph.KindOrganization && !namerRE.MatchString(st.text[m.End:]) {
				return nil // "blamed on the exchange's security": not an agent
			}
			continue
		}
		if isClaimant(st, m) {
			continue
		}
		if otherDeeds(st.text[pos:m.Start]) {
			return nil // "accused of other LockBit attacks": the agent of other incidents
		}
		if formerRE.MatchString(st.text[pos:m.Start]) {
			return nil // "carried out by criminals who once worked for the GRU": not the GRU
		}
		if gap := st.text[pos:m.Start]; wordSetIn(gap, "that", "which", "who", "whose") && !namingClauseRE.MatchString(gap) || strings.Contains(gap, ",") && capitalAt(strings.TrimPrefix(strings.TrimLeft(gap, " "), "the "), 0) {
			// "run by Viasat, that knocked out internet access across Ukraine": the
			// cue's own name is one the reference lacks, and what follows says more.
			return nil
		}
		if m.Kind == graph.KindState && (!stateAsAgent(st.text, m, true) || qualifiesActor(st, i)) {
			continue // "the work of North Korea's Lazarus Group" names Lazarus
		}
		return m
	}
	return nil
}

// otherDeeds reports whether the words between a cue and a name set the name's deeds
// apart from the sentence's incident: "accused of other LockBit attacks", "blamed for
// earlier Lazarus thefts".
func otherDeeds(gap string) bool {
	for _, w := range strings.Fields(gap) {
		switch strings.ToLower(strings.Trim(w, ",;:()\"'")) {
		case "other", "previous", "earlier", "past", "prior", "similar", "separate", "unrelated", "older":
			return true
		}
	}
	return false
}

// qualifiesActor reports whether the state mention i stands right before an actor it
// qualifies: "North Korea's Lazarus Group", "the North Korean Lazarus Group".
func qualifiesActor(st *sentenceState, i int) bool {
	if i+1 >= len(st.mentions) || st.mentions[i+1].Kind != graph.KindActor {
		return false
	}
	gap := st.text[st.mentions[i].End:st.mentions[i+1].Start]
	return affAdjLeadOnly(gap)
}

// stateAsAgent reports whether a state mention denotes the state acting (North Korea,
// "North Korean hackers", "cyber actors associated with the DPRK") rather than a place
// ("a North Korea-based exchange") or a victim.
func stateAsAgent(text string, m *Mention, afterCue bool) bool {
	after := text[m.End:]
	if locationOnlyRE.MatchString(after) {
		return false
	}
	if demonymAgentRE.MatchString(after) || afterCue && sponsoredActorRE.MatchString(after) {
		return true
	}
	// A bare adjective ("North Korean") must qualify an agent noun; a name may stand alone.
	return afterCue && !isDemonym(m.Surface)
}

func isDemonym(s string) bool {
	s = strings.ToLower(s)
	return strings.HasSuffix(s, "ean") || strings.HasSuffix(s, "ian") || strings.HasSuffix(s, "ese") || strings.HasSuffix(s, "ish") || strings.HasSuffix(s, "ic") || strings.HasSuffix(s, "i")
}

func isClaimant(st *sentenceState, m *Mention) bool {
	return st.claimant != "" && st.claimant == m.Name
}

// attributions finds who the sentence says carried out its incidents.
func (r *run) attributions(st *sentenceState) {
	r.legal(st) // the persons and gangs legal and corporate reporting names, see legal.go
	r.referredDeeds(st)
	r.accusedPronoun(st)
	r.claimedDeeds(st)
	if len(st.incidents) == 0 {
		return
	}
	// Each agent is found from a cue and belongs to the incident the cue governs:
	// "INCIDENT was attributed to AGENT" looks back from the cue, "AGENT was behind
	// INCIDENT" looks forward from the agent.
	type agent struct {
		m       *Mention
		at      int // where to look for the incident from
		passive bool
		object  string // a name the active verb acts on: "hit Stake.com"
	}
	var agents []agent
	addAgent := func(m *Mention, at int, passive bool) {
		if m != nil && !slices.ContainsFunc(agents, func(a agent) bool { return a.m.Name == m.Name && a.at == at }) {
			agents = append(agents, agent{m: m, at: at, passive: passive})
		}
	}
	cues := slices.Concat(st.all(passiveToRE), st.all(passiveByRE), st.all(deedBelongsRE))
	for _, c := range cues {
		if describesGroup(st.text, c[0]) || inActorClause(st, c[0]) {
			continue // "a group it links to North Korea's RGB" says whom the group serves
		}
		if accuserByRE.MatchString(st.text[c[1]:]) {
			continue // "accused by Ukraine of many attacks": who accuses, not who did it
		}
		m := agentAfter(st, c[1])
		if m == nil {
			m = r.unknownAgent(st, c[1])
		}
		if m == nil {
			m = r.laterAgent(st, c) // "attributed the attack on JBS to REvil"
		}
		addAgent(m, c[0], true)
		addAgent(appositiveActor(st, m), c[0], true) // "Russia's Foreign Intelligence Service, the SVR,"
		// "attributed to Lazarus Group and APT38": a list after the cue.
		for m != nil {
			sep := listSepRE.FindString(st.text[m.End:])
			if sep == "" {
				break
			}
			next := agentAfter(st, m.End+len(sep))
			if next == nil || next.Start != m.End+len(sep) {
				break
			}
			m = next
			addAgent(m, c[0], true)
		}
	}
	for i := range st.mentions {
		m := &st.mentions[i]
		if (m.Kind != graph.KindActor && m.Kind != graph.KindState) || isClaimant(st, m) {
			continue
		}
		after := st.text[m.End:]
		if loc := appositive(after); loc != nil && !activeCueRE.MatchString(after) {
			after = after[loc[1]:] // "Lazarus Group, the North Korean operation, is suspected of stealing"
		}
		verb := activeCueRE.FindStringIndex(after)
		if verb == nil || inApposition(st, i) {
			continue // "Sandworm, a unit of Russia's GRU, was behind": Sandworm was
		}
		if m.Kind == graph.KindState && (!stateAsPolity(st.text, m) || (!demonymAgentRE.MatchString(after) && !stateBehindRE.MatchString(after))) {
			continue
		}
		addAgent(m, m.End, false)
		if a := &agents[len(agents)-1]; a.m == m {
			a.object = namedObject(after[verb[1]:])
		}
		// "Lazarus and Andariel were behind": the list before the cue acts too, and so
		// does a member named with the group's other members ("Rim and other Andariel
		// members carried out").
		for j := i - 1; j >= 0 && m.Kind == graph.KindActor; j-- {
			prev := &st.mentions[j]
			gap := st.text[prev.End:st.mentions[j+1].Start]
			members := j == i-1 && otherMembersRE.MatchString(gap) && strings.HasPrefix(st.text[m.End:], " members")
			if prev.Kind != graph.KindActor || !actorListGapRE.MatchString(gap) && !members || isClaimant(st, prev) {
				break
			}
			addAgent(prev, m.End, false)
		}
	}
	// "the attackers behind the $50 million exploit of Radiant Capital were likely North
	// Korean": the incident's perpetrators, then a copula, then who they are.
	if subjs := st.all(copulaSubjectRE); len(subjs) > 0 {
		subj := subjs[0]
		for _, c := range copulaRE.FindAllStringIndex(st.text[subj[1]:], -1) {
			if m := firstMentionAt(st, subj[1]+c[1], 0); m != nil && (m.Kind == graph.KindActor || m.Kind == graph.KindState) {
				addAgent(m, subj[1], false)
				break
			}
		}
	}
	for _, a := range agents {
		if a.m.Kind != graph.KindActor {
			continue
		}
		// "Russian military intelligence officers": the state acts through its agency.
		if k := r.x.stateIn(a.m.Surface); k != nil {
			e := r.entity("state", k.Name, "", st.text)
			e.Code = k.Code
			addAgent(&Mention{Kind: graph.KindState, Name: k.Name, Surface: a.m.Surface, Start: a.m.Start, End: a.m.End, known: k}, a.at, a.passive)
		}
		// "China's Ministry of State Security": a state's own agency is the state
		// acting; a group the state backs ("North Korea's Lazarus Group") is not.
		if a.m.known != nil && a.m.known.ActorKind == graph.ActorAgency {
			if i := slices.IndexFunc(st.mentions, func(m Mention) bool { return m.Start == a.m.Start }); i > 0 && st.mentions[i-1].Kind == graph.KindState && qualifiesActor(st, i-1) {
				addAgent(&st.mentions[i-1], a.at, a.passive)
			}
		}
	}
	for _, a := range agents {
		if st.negatedAt(a.at) || st.negatedAt(a.m.Start) {
			continue
		}
		inc := governedIncident(st.text, st.incidents, a.at, a.passive, clauseNamesIncident(st, a.at))
		if inc == nil || a.object != "" && !incidentOf(inc, a.object) && (namedBefore(st, inc, a.at) || inLaterClause(st, inc, a.at)) {
			// "The Kroner hack came the week Lazarus Group hit Stake.com", "Lazarus
			// Group struck Halden Power, while students built the Vireo ransomware": the
			// agent acted on another victim than the incident named in another clause.
			continue
		}
		r.relate("ATTRIBUTED_TO", inc, r.ents[mentionKey(a.m)], st, st.text)
	}
	r.eventAttributions(st)
	r.suspects(st)
}

// inApposition reports whether mention i closes an apposition to an actor named
// before it: "Sandworm, a hacking unit of Russia's GRU, was behind".
func inApposition(st *sentenceState, i int) bool {
	m := &st.mentions[i]
	if !strings.HasPrefix(strings.TrimLeft(st.text[m.End:], " "), ",") {
		return false
	}
	for j := i - 1; j >= 0; j-- {
		p := &st.mentions[j]
		if p.Kind != graph.KindActor || p.End > m.Start {
			continue
		}
		gap := st.text[p.End:m.Start]
		return strings.HasPrefix(gap, ",") && strings.Count(gap, ",") == 1 && !strings.Contains(gap, ";")
	}
	return false
}

// inActorClause reports whether pos stands in a relative clause that an actor's name
// opens: "TraderTraitor, which is also tracked as UNC4899, and which Japan's police
// describe as linked to the Lazarus Group" says what TraderTraitor is tied to.
func inActorClause(st *sentenceState, pos int) bool {
	for i := len(st.mentions) - 1; i >= 0; i-- {
		m := &st.mentions[i]
		if m.End > pos || m.Kind != graph.KindActor {
			continue
		}
		gap := st.text[m.End:pos]
		return actorClauseRE.MatchString(gap) && !strings.Contains(gap, ";")
	}
	return false
}

// unknownAgent reads a name the reference lacks right after an attribution cue, when
// the text presents it as a group: "attributed to DarkSide, a criminal ransomware gang",
// "carried out by the Scattered Spider group".
func (r *run) unknownAgent(st *sentenceState, pos int) *Mention {
	rest := st.text[pos:]
	lead := len(rest) - len(strings.TrimLeft(rest, " "))
	if strings.HasPrefix(rest[lead:], "the ") {
		lead += 4
	}
	loc := capPhraseRE.FindStringIndex(rest[lead:])
	if loc == nil || loc[0] != 0 {
		return nil
	}
	name := strings.TrimRight(rest[lead:lead+loc[1]], ".,;:")
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > 3 || notVictim[strings.ToLower(words[0])] || r.isKnownNonVictim(name, st) {
		return nil
	}
	if !groupAfterRE.MatchString(rest[lead+len(name):]) {
		return nil
	}
	k := &Known{Kind: graph.KindActor, Name: name, ActorKind: graph.ActorGroup, Names: []string{name}}
	m := Mention{Kind: graph.KindActor, Name: name, Surface: name, Start: pos + lead, End: pos + lead + len(name), known: k}
	st.mentions = append(st.mentions, m)
	r.entity("actor", name, name, st.text)
	return &st.mentions[len(st.mentions)-1]
}

// governedIncident returns the incident a cue at pos speaks of: for a passive cue the
// nearest one before it, for an active one the nearest after; failing that, the other
// side. Unless the cue's clause names an incident itself ("the US later tied the theft
// to Lazarus"), a semicolon ends what it governs: "X has ties to Y; Z indicted ... over
// the attack" says nothing of Y and the attack.
func governedIncident(text string, refs []incidentRef, pos int, passive, inClause bool) *Entity {
	var before, after *incidentRef
	for i := range refs {
		ref := &refs[i]
		if !inClause && strings.Contains(text[min(pos, ref.start):max(pos, ref.start)], ";") {
			continue
		}
		if ref.end <= pos && (before == nil || ref.end > before.end) {
			before = ref
		}
		if ref.start >= pos && (after == nil || ref.start < after.start) {
			after = ref
		}
	}
	first, second := after, before
	if passive {
		first, second = before, after
	}
	switch {
	case first != nil:
		return first.ent
	case second != nil:
		return second.ent
	}
	for _, ref := range refs {
		if ref.start < pos && pos < ref.end {
			return ref.ent // the cue sits inside the incident's own words
		}
	}
	return nil
}

// clauseNamesIncident reports whether the clause around pos, between semicolons, holds
// a word for an incident.
func clauseNamesIncident(st *sentenceState, pos int) bool {
	start, end := 0, len(st.text)
	if i := strings.LastIndexByte(st.text[:pos], ';'); i >= 0 {
		start = i
	}
	if i := strings.IndexByte(st.text[pos:], ';'); i >= 0 {
		end = pos + i
	}
	if start == 0 && end == len(st.text) {
		return true
	}
	for _, n := range st.all(theftNounRE) {
		if n[0] >= start && n[1] <= end {
			return true
		}
	}
	return false
}

// stateAsPolity reports whether a state mention means the state, not a place or a
// nationality: "Russia-based launderers" and "Chinese nationals" do not make a state act.
func stateAsPolity(text string, m *Mention) bool {
	after := text[m.End:]
	return !locationOnlyRE.MatchString(after) && !nationalsRE.MatchString(after)
}

func mentionKey(m *Mention) string {
	typ := "actor"
	if m.Kind == graph.KindState {
		typ = "state"
	}
	return normalizedKey(typ, m.Name)
}

// affiliations finds actors tied to a state or a parent actor.
func (r *run) affiliations(st *sentenceState) {
	for i := range st.mentions {
		a := &st.mentions[i]
		if a.Kind != graph.KindActor {
			continue
		}
		// "North Korea's Lazarus Group", "the North Korean state-sponsored group APT38",
		// "North Korean hacking groups Lazarus and Andariel".
		for j, first := i-1, a.Start; j >= 0; j-- {
			s := &st.mentions[j]
			gap := st.text[s.End:first]
			if s.Kind == graph.KindActor && actorListGapRE.MatchString(gap) {
				first = s.Start
				continue // a list of actors shares its qualifier
			}
			if s.Kind == graph.KindState && !strings.Contains(gap, ",") && (affAdjLeadOnly(gap) || affAdjMay(gap) && affAdjRE.MatchString(gap)) && !locationOnlyRE.MatchString(gap) {
				r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(s)], st, st.text)
			}
			break
		}
		// "Military Unit 74455 of the Russian Main Intelligence Directorate, the agency
		// known as the GRU", "the Reconnaissance General Bureau of ... North Korea": a unit
		// or an agency belongs to what its "of" names.
		if loc := unitOfRE.FindStringIndex(st.text[a.End:]); loc != nil && isUnit(a) {
			from, prev := a.End+loc[1], a.End+loc[1]
			for j := i + 1; j < len(st.mentions); j++ {
				t := &st.mentions[j]
				if t.Start < prev {
					continue
				}
				// Only a chain of names reads on: "accused the GRU of being behind
				// the hack of the Danish regulator" ties the GRU to no Denmark.
				if t.Start-from > 90 || !nameChainGap(st.text[prev:t.Start]) {
					break
				}
				if (t.Kind == graph.KindState || t.Kind == graph.KindActor) && t.Name != a.Name {
					r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(t)], st, st.text)
				}
				prev = t.End
			}
		}
		// "Lazarus Group, which is backed by North Korea", "TraderTraitor, a subgroup of Lazarus".
		rest := st.text[a.End:min(len(st.text), a.End+160)]
		if loc := affCueRE.FindStringIndex(rest); loc != nil && loc[0] < 60 && !strings.ContainsAny(rest[:loc[0]], ";") {
			// "a unit of Russia's GRU": the last name of the possessive chain; the state's
			// possessive ties GRU to Russia (see above), and the unit to Russia only
			// through GRU.
			var last *Mention
			for t := firstMentionAt(st, a.End+loc[1], 25); t != nil && t.Name != a.Name && (t.Kind == graph.KindState || t.Kind == graph.KindActor); {
				last = t
				gap := possessiveGapRE.FindString(st.text[t.End:])
				if gap == "" {
					break
				}
				t = firstMentionAt(st, t.End+len(gap), 0)
			}
			if last != nil {
				r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(last)], st, st.text)
			}
		}
		// "Lazarus Group, a North Korean state-sponsored group" (apposition).
		{
			for j := i + 1; j < len(st.mentions); j++ {
				s := &st.mentions[j]
				gap := st.text[a.End:s.Start]
				if !appositionRE.MatchString(gap) {
					break
				}
				if s.Kind == graph.KindState && stateGroupRE.MatchString(st.text[s.End:]) {
					r.relate("AFFILIATED_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(s)], st, st.text)
				}
				break
			}
		}
	}
}

// nameChainGap reports whether gap, between the "of" after a unit and a name or between
// two names, holds only more of a name: capitalised words, "of", "the", "and" and
// possessives ("of the Korean People's Army of North Korea").
func nameChainGap(gap string) bool {
	for _, w := range strings.Fields(gap) {
		switch w {
		case "of", "the", "and", "'s", "’s":
			continue
		}
		if !capitalAt(w, 0) {
			return false
		}
	}
	return true
}

// isUnit reports whether an actor mention names a unit or an agency, which belong to
// what follows their "of".
func isUnit(m *Mention) bool {
	if m.known != nil && (m.known.ActorKind == graph.ActorUnit || m.known.ActorKind == graph.ActorAgency) {
		return true
	}
	return unitWordRE.MatchString(m.Surface)
}

func firstMentionAt(st *sentenceState, pos, window int) *Mention {
	for i := range st.mentions {
		m := &st.mentions[i]
		if m.Start >= pos && m.Start-pos <= window {
			return m
		}
	}
	return nil
}

// collaborations finds states (or actors) the sentence says work together.
func (r *run) collaborations(st *sentenceState) {
	peers := map[graph.NodeKind]int{}
	for _, m := range st.mentions {
		peers[m.Kind]++
	}
	if peers[graph.KindState] < 2 && peers[graph.KindActor] < 2 {
		return
	}
	if st.has(notCollabRE) && !st.has(strongCollabRE) {
		return
	}
	cues := st.all(collabRE)
	if len(cues) == 0 || st.negated() {
		return
	}
	for _, kind := range []graph.NodeKind{graph.KindState, graph.KindActor} {
		var ms []*Mention
		for i := range st.mentions {
			m := &st.mentions[i]
			if m.Kind == kind && !isClaimant(st, m) && (kind != graph.KindState || stateAsPolity(st.text, m)) && !slices.ContainsFunc(ms, func(x *Mention) bool { return x.Name == m.Name }) {
				ms = append(ms, m)
			}
		}
		for i := 0; i < len(ms); i++ {
			for j := i + 1; j < len(ms); j++ {
				a, b := ms[i], ms[j]
				// The cue must tie these two: between them, or right after "A and B".
				ok := false
				for _, c := range cues {
					between := c[0] >= a.End && c[1] <= b.Start
					after := c[0] >= b.End && c[0]-b.End < 40 && pairGapRE.MatchString(st.text[a.End:b.Start])
					before := c[1] <= a.Start && a.Start-c[1] < 40 && betweenRE.MatchString(st.text[c[1]:a.Start])
					ok = ok || between || after || before
				}
				if ok {
					r.relate("COLLABORATES_WITH", r.ents[mentionKey(a)], r.ents[mentionKey(b)], st, st.text)
				}
			}
		}
	}
}

// targetSectors ties the sectors a sentence says were targeted to an incident: a
// targeting word must govern the sector ("targeting banks", "hit exchanges").
func (r *run) targetSectors(st *sentenceState, inc *Entity) {
	cues := st.all(targetCueRE)
	for _, m := range st.mentions {
		if m.Kind != graph.KindSector {
			continue
		}
		governed := false
		for _, c := range cues {
			governed = governed || (c[1] <= m.Start && m.Start-c[1] <= 80 && !strings.ContainsAny(st.text[c[1]:m.Start], ";:"))
		}
		if !governed && !victimVerbRE.MatchString(st.text[m.End:]) {
			continue
		}
		sec := r.entity("sector", m.Name, m.Surface, st.text)
		r.relate("TARGETED", inc, sec, st, st.text)
	}
}

// relate records a relation, once per (type, from, to), with every sentence that
// states it; the strongest statement (asserted before hedged, then the first) is the one
// shown as its evidence.
func (r *run) relate(typ string, from, to *Entity, st *sentenceState, evidence string) {
	if from == nil || to == nil || from == to {
		return
	}
	if typ == "ATTRIBUTED_TO" && r.disputed(st, from, to) {
		return
	}
	if typ == "COLLABORATES_WITH" && to.key < from.key {
		from, to = to, from
	}
	r.key = append(append(append(append(append(r.key[:0], typ...), '|'), from.key...), '|'), to.key...)
	if rel := r.relations[string(r.key)]; rel != nil && rel.key != "" {
		r.record(rel.key, rel, st, evidence) // stated again: no key nor relation made
		return
	}
	key := string(r.key)
	r.record(key, &Relation{Type: typ, fromEnt: from, toEnt: to, key: key}, st, evidence)
}

func (r *run) relateAmount(inc *Entity, am *AmountMention, st *sentenceState) {
	v, c := am.Value, am.Currency
	key := fmt.Sprintf("STOLE|%s|%s|%v", inc.key, am.Currency, am.Value)
	r.record(key, &Relation{Type: "STOLE", fromEnt: inc, toEnt: inc, amount: am, Value: &v, Currency: &c}, st, st.text)
}

func (r *run) record(key string, fresh *Relation, st *sentenceState, evidence string) {
	certainty := graph.Asserted
	if st.hedged() {
		certainty = graph.Hedged
	}
	rel := r.relations[key]
	if rel == nil {
		rel = fresh
		r.relations[key] = rel
	}
	if slices.ContainsFunc(rel.support, func(s support) bool { return s.quote == evidence }) {
		return
	}
	rel.support = append(rel.support, support{quote: evidence, claimant: st.claimant, certainty: certainty})
	slices.SortStableFunc(rel.support, func(a, b support) int {
		return cmp.Compare(certaintyRank(a.certainty), certaintyRank(b.certainty))
	})
	best := rel.support[0]
	rel.Evidence, rel.Certainty, rel.AttributedBy = best.quote, string(best.certainty), nil
	if best.claimant != "" {
		c := best.claimant
		rel.AttributedBy = &c
	}
	rel.Confidence = graph.ClaimConfidence(best.certainty, best.claimant)
}

func certaintyRank(c graph.Certainty) int {
	if c == graph.Asserted {
		return 0
	}
	return 1
}
