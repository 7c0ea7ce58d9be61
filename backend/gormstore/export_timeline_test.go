package gormstore

// SetTimelineLimit changes the most events a session's timeline holds, so that a test of a
// cut timeline need not write regent.MaxTimelineEvents of them.
func (s *AuditService) SetTimelineLimit(n int) { s.timelineLimit = n }
