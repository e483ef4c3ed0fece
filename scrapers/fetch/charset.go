package fetch

import (
	"bytes"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// mediaType returns the lower-case media type of a Content-Type header, or
// a sniffed one when the header is missing or unparseable.
func mediaType(contentType string, body []byte) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return strings.ToLower(mt)
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	return mt
}

// isText reports whether Body should be decoded to UTF-8 for this type.
func isText(mt string) bool {
	return strings.HasPrefix(mt, "text/") || mt == "application/xml" || strings.HasSuffix(mt, "+xml")
}

func isXML(mt string) bool {
	return mt == "text/xml" || mt == "application/xml" || strings.HasSuffix(mt, "+xml")
}

var boms = []struct {
	bom  []byte
	name string
}{
	{[]byte{0xEF, 0xBB, 0xBF}, "utf-8"},
	{[]byte{0xFE, 0xFF}, "utf-16be"},
	{[]byte{0xFF, 0xFE}, "utf-16le"},
}

// xmlDecl matches the encoding pseudo-attribute of an XML declaration at the
// very start of a document; group 2 is the label.
var xmlDecl = regexp.MustCompile(`^(\s*<\?xml\s[^>]*?\bencoding\s*=\s*["'])([A-Za-z][A-Za-z0-9._:-]*)(["'])`)

// decodeText converts body to UTF-8 and returns it with the canonical
// (WHATWG) name of the charset it was read as.
//
// Policy, in order:
//
//  1. A byte order mark wins, as the HTML and XML specs say.
//  2. Otherwise the declared charset: the Content-Type parameter, then the
//     XML declaration (XML types) or a <meta> charset (everything else, via
//     charset.DetermineEncoding). XML without a declaration is UTF-8;
//     HTML without one is UTF-8 when the bytes are valid UTF-8, else
//     windows-1252.
//  3. Mislabelled pages. A declared legacy charset is overridden by UTF-8
//     when the body is valid UTF-8 and holds at least one multi-byte
//     sequence: text in a single-byte charset almost never forms valid
//     UTF-8 by chance. A declared UTF-8 is overridden when the body is not
//     valid UTF-8 and its invalid bytes outnumber its valid multi-byte
//     sequences (a Latin-1 page labelled UTF-8); we then use the charset
//     the document itself names, or windows-1252. A page that is mostly
//     good UTF-8 with a few broken bytes stays UTF-8, broken bytes
//     becoming U+FFFD.
//
// The result is always valid UTF-8 with no BOM. When the document is XML and
// its declaration names another encoding, the declaration is rewritten to
// say UTF-8 so that an XML parser downstream does not decode it twice.
func decodeText(body []byte, mt, contentType string) ([]byte, string) {
	for _, b := range boms {
		if bytes.HasPrefix(body, b.bom) {
			return finish(transcode(body[len(b.bom):], b.name))
		}
	}

	declared := declaredCharset(body, mt, contentType)
	name := declared
	if name != "utf-8" {
		if utf8.Valid(body) && hasMultiByte(body) {
			name = "utf-8"
		}
	} else if !utf8.Valid(body) && mostlyInvalid(body) {
		name = "windows-1252"
		if _, doc, _ := charset.DetermineEncoding(body, "text/html"); !isXML(mt) && doc != "utf-8" {
			name = doc
		}
		if m := xmlDecl.FindSubmatch(head(body)); m != nil {
			if _, doc := charset.Lookup(string(m[2])); doc != "" && doc != "utf-8" {
				name = doc
			}
		}
	}
	return finish(transcode(body, name))
}

// declaredCharset is what the response says its charset is, before any
// second-guessing; see decodeText.
func declaredCharset(body []byte, mt, contentType string) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if _, name := charset.Lookup(params["charset"]); name != "" {
			return name
		}
	}
	if isXML(mt) || bytes.HasPrefix(bytes.TrimLeft(head(body), " \t\r\n"), []byte("<?xml")) {
		if m := xmlDecl.FindSubmatch(head(body)); m != nil {
			if _, name := charset.Lookup(string(m[2])); name != "" {
				return name
			}
		}
		return "utf-8"
	}
	_, name, _ := charset.DetermineEncoding(body, mt)
	return name
}

func head(b []byte) []byte {
	if len(b) > 1024 {
		return b[:1024]
	}
	return b
}

// transcode decodes body from the named charset; unknown names and decoder
// failures fall back to UTF-8 with invalid bytes replaced.
func transcode(body []byte, name string) ([]byte, string) {
	if name == "utf-8" {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), name
	}
	enc, canon := charset.Lookup(name)
	if enc == nil || enc == encoding.Nop {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), "utf-8"
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), "utf-8"
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), canon
}

// finish strips a BOM left by the decoder and makes an XML declaration
// agree with the bytes we now hold.
func finish(body []byte, name string) ([]byte, string) {
	body = bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF})
	if loc := xmlDecl.FindSubmatchIndex(head(body)); loc != nil {
		if label := string(body[loc[4]:loc[5]]); !strings.EqualFold(label, "utf-8") {
			fixed := make([]byte, 0, len(body)+5)
			fixed = append(fixed, body[:loc[4]]...)
			fixed = append(fixed, "UTF-8"...)
			fixed = append(fixed, body[loc[5]:]...)
			body = fixed
		}
	}
	return body, name
}

// hasMultiByte reports whether b holds at least one valid multi-byte UTF-8
// sequence.
func hasMultiByte(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if size > 1 && r != utf8.RuneError {
			return true
		}
		b = b[size:]
	}
	return false
}

// mostlyInvalid reports whether invalid UTF-8 bytes outnumber valid
// multi-byte sequences in b.
func mostlyInvalid(b []byte) bool {
	var good, bad int
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size == 1:
			bad++
		case size > 1:
			good++
		}
		b = b[size:]
	}
	return bad > good
}
