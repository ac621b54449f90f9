package scheduling

import (
	_ "embed"
	"maps"
	"slices"
	"strings"
	// The zone data itself travels in the binary, so a machine without /usr/share/zoneinfo still
	// resolves every canonical name.
	_ "time/tzdata"

	"github.com/bojanz/currency"
)

//go:generate go run zones_gen.go

// zonesFile lists the canonical IANA zone names, one a line (comments start with #).
//
//go:embed zones.txt
var zonesFile string

// canonicalZones holds the names a branch may be set to. Links (US/Eastern, Asia/Calcutta, GMT, the
// posix/ and right/ trees) and the system's own names (Local, localtime, posixrules, Factory) are
// left out: a branch names its zone one way only, so lists and comparisons agree.
var canonicalZones = parseZones(zonesFile)

func parseZones(text string) map[string]bool {
	out := map[string]bool{}
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	return out
}

// IsCanonicalZone reports whether name is a canonical IANA time zone name.
func IsCanonicalZone(name string) bool { return canonicalZones[name] }

// CanonicalZones lists the canonical IANA zone names in order, for a choice of a branch's zone.
func CanonicalZones() []string { return slices.Sorted(maps.Keys(canonicalZones)) }

// fundCodes are ISO 4217 codes of funds and units of account (e.g. USN, next-day dollars), which are
// active in the list but not money a patient pays with.
var fundCodes = map[string]bool{
	"BOV": true, "CHE": true, "CHW": true, "CLF": true, "COU": true, "MXV": true, "USN": true, "UYI": true,
	"UYW": true, "XAD": true,
}

// IsActiveCurrency reports whether code is an active ISO 4217 currency that prices can be set in. The
// list is ISO 4217's current one (bojanz/currency, regenerated from it and CLDR with each release):
// withdrawn codes (HRK, SLL, ZWL...), precious metals (XAU, XAG), bond and drawing units (XBA...,
// XDR) and the test and no-currency codes (XTS, XXX) are not in it; funds are left out here.
func IsActiveCurrency(code string) bool {
	return code != "" && currency.IsValid(code) && !fundCodes[code]
}

// CurrencyDigits is the number of minor-unit digits of an active currency (2 for EUR, 0 for JPY, 3
// for KWD): the exponent in which its amounts are written.
func CurrencyDigits(code string) (int, bool) {
	if !IsActiveCurrency(code) {
		return 0, false
	}
	d, ok := currency.GetDigits(code)
	return int(d), ok
}
