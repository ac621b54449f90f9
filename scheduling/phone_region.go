package scheduling

// PhoneRegion is the region assumed for phone numbers written without a country code ("" when none
// is), so that other packages read a patient's number the way registering the patient will.
func (s *Service) PhoneRegion() string { return s.cfg.PhoneRegion }
