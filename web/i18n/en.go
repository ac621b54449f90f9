package i18n

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/message/catalog"
)

func text(s string) catalog.Message { return catalog.String(s) }

// english is the English catalog; every key here must be in every other catalog too.
var english = entries{
	"language":      text("Language"),
	"tracker.title": text("Your place in the queue"),

	"tracker.waiting":     text("You are in the queue"),
	"tracker.ahead":       plural.Selectf(1, "%d", "=0", "You're next", "one", "1 person ahead of you", "other", "%[1]d people ahead of you"),
	"tracker.position":    text("Place in line: %s"),
	"tracker.eta":         text("Expected between %s and %s"),
	"tracker.eta_at":      text("Expected at about %s"),
	"tracker.appointment": text("Appointment"),

	"tracker.open":             text("It's your turn"),
	"tracker.open_detail":      text("Please go in now."),
	"tracker.completed":        text("Your visit is complete"),
	"tracker.completed_detail": text("Thank you for visiting. You can close this page."),
	"tracker.cancelled":        text("This visit was cancelled"),
	"tracker.no_show":          text("This visit was missed"),
	"tracker.contact_clinic":   text("If this is unexpected, please contact the clinic."),

	"tracker.patient": text("Patient"),
	"tracker.doctor":  text("Doctor"),
	"tracker.clinic":  text("Clinic"),
	"tracker.phone":   text("Phone"),

	"tracker.live":         text("This page updates by itself."),
	"tracker.reconnecting": text("Connection lost. Reconnecting…"),

	"tracker.not_found":          text("Link not valid"),
	"tracker.not_found_detail":   text("This tracking link is unknown or has expired. Please ask the clinic's front desk for a new one."),
	"tracker.unavailable":        text("Your place cannot be shown right now"),
	"tracker.unavailable_detail": text("Please try again in a moment."),
}
