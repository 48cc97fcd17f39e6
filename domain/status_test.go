package domain

import "testing"

func TestMergedStatus(t *testing.T) {
	for _, c := range []struct {
		statuses  []AssertionStatus
		bases     []string
		want      AssertionStatus
		wantBasis string
	}{
		{[]AssertionStatus{StatusStated, StatusInferred}, []string{"", "a guess"}, StatusStated, ""},
		{[]AssertionStatus{StatusInferred, StatusStated}, []string{"a guess", ""}, StatusStated, ""},
		{[]AssertionStatus{"", StatusInferred}, []string{"", "a guess"}, StatusStated, ""}, // no status reads as STATED
		{[]AssertionStatus{StatusInferred, StatusInferred, StatusInferred}, []string{"one", " two ", "one"}, StatusInferred, "one; two"},
		{[]AssertionStatus{StatusStated, StatusDisputed}, []string{"", "they disagree"}, StatusDisputed, "they disagree"},
		{[]AssertionStatus{StatusInferred, StatusDisputed}, []string{"a guess", "they disagree"}, StatusDisputed, "a guess; they disagree"},
	} {
		got, basis := MergedStatus(c.statuses, c.bases)
		if got != c.want || basis != c.wantBasis {
			t.Errorf("MergedStatus(%v, %q) = %s %q, want %s %q", c.statuses, c.bases, got, basis, c.want, c.wantBasis)
		}
	}
}
