package benefits_test

import (
	"fmt"

	"github.com/caba1337/referralrules/benefits"
)

func Example() {
	catalog, err := benefits.New([]benefits.Benefit{
		{ID: "support", Category: "support", Spanish: "Soporte por chat.", English: "Chat support."},
		{ID: "academy", Category: "training", Spanish: "Cursos de la academia.", English: "Academy courses."},
	}, map[int][]string{
		1: {"support"},
		2: {"support", "academy"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range catalog.ForLevel(2) {
		fmt.Printf("%s (%s): %s\n", b.ID, b.Category, b.Text(benefits.Spanish))
	}
	// Output:
	// support (support): Soporte por chat.
	// academy (training): Cursos de la academia.
}

func ExampleNew_error() {
	_, err := benefits.New([]benefits.Benefit{
		{ID: "support", Spanish: "Soporte.", English: "Support."},
	}, map[int][]string{1: {"support", "gym"}})
	fmt.Println(err)
	// Output: level 1: "gym": unknown benefit
}

func ExampleCatalog_Text() {
	catalog, _ := benefits.New([]benefits.Benefit{
		{ID: "workspace", Spanish: "Un espacio de trabajo.", English: "A workspace."},
	}, nil)
	for _, lang := range benefits.Langs() {
		text, _ := catalog.Text("workspace", lang)
		fmt.Printf("%s: %s\n", lang, text)
	}
	// Output:
	// es: Un espacio de trabajo.
	// en: A workspace.
}
