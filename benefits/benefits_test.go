package benefits_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules/benefits"
)

func sample() []benefits.Benefit {
	return []benefits.Benefit{
		{ID: "support", Category: "support", Spanish: "Soporte.", English: "Support."},
		{ID: "academy", Category: "training", Spanish: "Academia.", English: "Academy."},
		{ID: "network", Category: "network", Spanish: "Red.", English: "Network."},
	}
}

func TestNew(t *testing.T) {
	c, err := benefits.New(sample(), map[int][]string{
		1: {"support", "academy"},
		2: {"network", "support", "academy"},
	})
	require.NoError(t, err)
	assert.Equal(t, 3, c.Len())

	var ids []string
	for _, b := range c.ForLevel(2) {
		ids = append(ids, b.ID)
	}
	assert.Equal(t, []string{"network", "support", "academy"}, ids, "ForLevel keeps the level's order")
	assert.Empty(t, c.ForLevel(0), "level 0 gives nothing")
	assert.Empty(t, c.ForLevel(3))
	assert.True(t, c.InLevel(1, "academy"))
	assert.False(t, c.InLevel(1, "network"))
	assert.False(t, c.InLevel(1, "nope"))

	b, ok := c.Get("academy")
	require.True(t, ok)
	assert.Equal(t, "training", b.Category)
	_, ok = c.Get("nope")
	assert.False(t, ok)
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		list   []benefits.Benefit
		levels map[int][]string
		err    error
	}{
		{"empty id", []benefits.Benefit{{Spanish: "a", English: "b"}}, nil, benefits.ErrID},
		{"duplicate id", append(sample(), sample()[0]), nil, benefits.ErrID},
		{"no Spanish", []benefits.Benefit{{ID: "a", English: "b"}}, nil, benefits.ErrText},
		{"no English", []benefits.Benefit{{ID: "a", Spanish: "b"}}, nil, benefits.ErrText},
		{"unknown id in a level", sample(), map[int][]string{1: {"support", "gym"}}, benefits.ErrUnknown},
		{"id twice in a level", sample(), map[int][]string{1: {"support", "support"}}, benefits.ErrDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := benefits.New(tt.list, tt.levels)
			assert.ErrorIs(t, err, tt.err)
		})
	}
}

func TestText(t *testing.T) {
	c, err := benefits.New(sample(), nil)
	require.NoError(t, err)
	tests := []struct {
		name string
		id   string
		lang benefits.Lang
		want string
		ok   bool
	}{
		{"Spanish", "support", benefits.Spanish, "Soporte.", true},
		{"English", "support", benefits.English, "Support.", true},
		{"unknown language", "support", benefits.Lang("fr"), "", false},
		{"unknown id", "gym", benefits.Spanish, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.Text(tt.id, tt.lang)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.ok, ok)
		})
	}
}

func TestParseLang(t *testing.T) {
	for _, s := range []string{"es", "en"} {
		l, err := benefits.ParseLang(s)
		require.NoError(t, err)
		assert.Equal(t, benefits.Lang(s), l)
	}
	for _, s := range []string{"", "ES", "fr", "es-CO"} {
		_, err := benefits.ParseLang(s)
		assert.ErrorIs(t, err, benefits.ErrLang, "ParseLang(%q)", s)
	}
	assert.Equal(t, []benefits.Lang{benefits.Spanish, benefits.English}, benefits.Langs())
}

// A Catalog cannot be changed through what it returns, nor through the
// slices and map given to New.
func TestCatalogIsImmutable(t *testing.T) {
	list := sample()
	levels := map[int][]string{1: {"support"}}
	c, err := benefits.New(list, levels)
	require.NoError(t, err)

	list[0].English = "changed"
	levels[1][0] = "network"
	levels[2] = []string{"academy"}
	all := c.All()
	all[0].English = "changed too"
	c.ForLevel(1)[0].English = "and this"

	b, _ := c.Get("support")
	assert.Equal(t, "Support.", b.English)
	assert.Equal(t, "support", c.ForLevel(1)[0].ID)
	assert.Empty(t, c.ForLevel(2))
}

func TestZeroCatalog(t *testing.T) {
	var c benefits.Catalog
	assert.Equal(t, 0, c.Len())
	assert.Empty(t, c.All())
	assert.Empty(t, c.ForLevel(1))
	_, ok := c.Get("x")
	assert.False(t, ok)
}
