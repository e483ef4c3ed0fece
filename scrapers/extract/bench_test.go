package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/scrapers/extract"
)

// corpus is a realistic mix of reporting written for the tests: the golden fixtures,
// and an article in which a third of the sentences report facts and the rest is context.
func corpus(b *testing.B) []extract.Document {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		b.Fatal("no testdata/*.txt: run the benchmark from scrapers/extract (go test runs it there), or the mix is not the one reported")
	}
	var docs []extract.Document
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, extract.Document{Text: string(text)})
	}
	sentences := []string{
		"The FBI said Lazarus Group was behind the Bybit hack, in which thieves took $1.5 billion in ether on February 21, 2025.",
		"Researchers suspect APT38, a North Korean state-sponsored group, of draining US$625m from the Ronin bridge.",
		"There is no evidence linking Lazarus Group to the Upbit hack, officials said.",
		"North Korea's cooperation with Russia has deepened, according to analysts at Chainalysis.",
		"The attackers laundered $60 million through a mixer and the exchange offered a $10 million bounty.",
		"Chinese state-sponsored hackers known as Salt Typhoon breached telecommunications companies across the United States.",
		"The U.S. Department of Justice charged Russian military intelligence officers over the 2017 NotPetya malware attack.",
		"Blockchain analysts said 401,347 ETH and 4,502.9 BTC left the exchange's cold wallet within hours.",
	}
	// Most of an article is context, quotes and boilerplate that name nothing.
	filler := []string{
		"The exchange said customer balances were backed one to one and that withdrawals would resume once its engineers finished a review.",
		"Security teams have spent the past year rebuilding how they store signing keys, moving more of them into hardware modules.",
		"Prices of the affected tokens fell sharply in the hours that followed before recovering some of their losses by the weekend.",
		"\"We are working around the clock with our partners,\" a spokesperson said in a statement posted to the company's blog.",
		"Industry groups have asked regulators for clearer rules on how platforms should report incidents to their users.",
		"Subscribe to our newsletter for a weekly round-up of the most important stories in security and technology.",
	}
	var long strings.Builder
	for i := range 120 {
		if i%3 == 0 {
			long.WriteString(sentences[(i/3)%len(sentences)])
		} else {
			long.WriteString(filler[i%len(filler)])
		}
		long.WriteString(" ")
		if i%5 == 4 {
			long.WriteString("\n\n")
		}
	}
	docs = append(docs, extract.Document{Text: long.String(), Published: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)})
	return docs
}

// BenchmarkExtract reports throughput in MB/s (b.SetBytes) and articles/s on one core.
func BenchmarkExtract(b *testing.B) {
	docs := corpus(b)
	var size int64
	for _, d := range docs {
		size += int64(len(d.Text))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			extractor.Extract(d)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
