package graph

import (
	"testing"
	"time"
)

func TestMergeClaimsKeepsFirstReport(t *testing.T) {
	first := time.Date(2025, 2, 27, 0, 0, 0, 0, time.UTC)
	c := Claim{SourceID: "source:a", Quote: "q", Certainty: Asserted, Confidence: 0.7, Reported: first}
	again := c
	again.Reported = first.Add(48 * time.Hour)
	got := MergeClaims([]Claim{c}, []Claim{again})
	if len(got) != 1 || !got[0].Reported.Equal(first) {
		t.Errorf("merged %+v: want one claim first reported %v", got, first)
	}
	hedged := c
	hedged.Certainty = Hedged
	if got := MergeClaims([]Claim{c}, []Claim{hedged}); len(got) != 1 || got[0].Certainty != Hedged {
		t.Errorf("a re-read claim replaces the old one: %+v", got)
	}
}

func TestAggregateConfidence(t *testing.T) {
	one := []Claim{{SourceID: "a", Confidence: 0.7}}
	sameSource := append(one, Claim{SourceID: "a", Confidence: 0.7})
	two := append(one, Claim{SourceID: "b", Confidence: 0.7})
	if AggregateConfidence(sameSource) != AggregateConfidence(one) {
		t.Error("a source repeating itself raised the confidence")
	}
	if c := AggregateConfidence(two); c <= AggregateConfidence(one) || c > 0.99 {
		t.Errorf("two sources: %v", c)
	}
	if AggregateConfidence(nil) != 0 {
		t.Error("no claims, some confidence")
	}
	if h, a := ClaimConfidence(Hedged, "FBI"), ClaimConfidence(Asserted, ""); h >= a {
		t.Errorf("hedged with claimant %v >= asserted without %v", h, a)
	}
}

func TestDate(t *testing.T) {
	for in, want := range map[string]DatePrecision{"2024": PrecisionYear, "2024-06": PrecisionMonth, "2024-06-24": PrecisionDay} {
		d, err := ParseDate(in)
		if err != nil || d.Precision() != want || d.Year() != 2024 {
			t.Errorf("ParseDate(%q) = %v %v, precision %v", in, d, err, d.Precision())
		}
	}
	for _, bad := range []string{"", "24", "2024-13", "2024-02-30", "June 2024"} {
		if _, err := ParseDate(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseDate(%q): %v, want invalid", bad, err)
		}
	}
}

func TestEdgeIDOrdersSymmetricEnds(t *testing.T) {
	if EdgeID(CollaboratesWith, "state:ru", "state:kp") != EdgeID(CollaboratesWith, "state:kp", "state:ru") {
		t.Error("collaboration A-B and B-A are different edges")
	}
	if EdgeID(AttributedTo, "a", "b") == EdgeID(AttributedTo, "b", "a") {
		t.Error("attribution lost its direction")
	}
}
