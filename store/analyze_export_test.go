package store

// SetNamePage sets how many nodes a read of NamePages takes, for a test
// of the paging on the seed graph's few hundred nodes; it returns the
// undo.
func SetNamePage(n int) (undo func()) {
	old := namePage
	namePage = n
	return func() { namePage = old }
}
