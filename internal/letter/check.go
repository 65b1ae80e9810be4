package letter

import (
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"
	"text/template/parse"
	"time"

	"github.com/portico/portico/internal/domain"
)

// Check refuses an override that cannot be sent: a part that does not
// parse, uses a field the kind does not have, or (text and HTML) lacks the
// link; it also renders the sample, so that what fails only when run is
// refused too. The error names each part at fault.
func Check(t domain.EmailTemplate) error {
	allowed := FieldNames(t.Kind)
	var errs []domain.FieldError
	fail := func(field, code, msg string) {
		errs = append(errs, domain.FieldError{Field: field, Code: code, Message: msg})
	}
	parts := []struct {
		field, source string
		needsLink     bool
		trees         func() ([]*parse.Tree, error)
	}{
		{"subject", t.Subject, false, func() ([]*parse.Tree, error) { return textTrees(t.Subject) }},
		{"text", t.Text, true, func() ([]*parse.Tree, error) { return textTrees(t.Text) }},
		{"html", t.HTML, true, func() ([]*parse.Tree, error) { return htmlTrees(t.HTML) }},
	}
	for _, p := range parts {
		if strings.TrimSpace(p.source) == "" {
			fail(p.field, "required", p.field+" is required")
			continue
		}
		trees, err := p.trees()
		if err != nil {
			fail(p.field, "template_syntax", p.field+" does not parse: "+err.Error())
			continue
		}
		used := map[string]bool{}
		for _, tr := range trees {
			walk(tr.Root, used)
		}
		for name := range used {
			if !slices.Contains(allowed, name) {
				fail(p.field, "unknown_field", p.field+" uses ."+name+", which "+string(t.Kind)+" emails do not have; the fields are "+strings.Join(allowed, ", "))
			}
		}
		if p.needsLink && !used["Link"] {
			fail(p.field, "link_missing", p.field+" must contain {{.Link}}: without it the email is of no use")
		}
	}
	if len(errs) == 0 {
		if _, err := Preview(t, "en", true, time.Now()); err != nil {
			fail("template", "template_execution", "the template fails when rendered: "+err.Error())
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b domain.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return domain.Invalid("template_invalid", "the template cannot be used: "+errs[0].Message, errs...).
			WithResolution("fix the parts named in errors; GET the built-in template of the kind for a working example")
	}
	return nil
}

func textTrees(src string) ([]*parse.Tree, error) {
	t, err := texttemplate.New("t").Parse(src)
	if err != nil {
		return nil, err
	}
	var out []*parse.Tree
	for _, x := range t.Templates() {
		if x.Tree != nil {
			out = append(out, x.Tree)
		}
	}
	return out, nil
}

func htmlTrees(src string) ([]*parse.Tree, error) {
	t, err := htmltemplate.New("t").Parse(src)
	if err != nil {
		return nil, err
	}
	var out []*parse.Tree
	for _, x := range t.Templates() {
		if x.Tree != nil {
			out = append(out, x.Tree)
		}
	}
	return out, nil
}

// walk collects the top-level field names a template refers to (.Link,
// $.Link).
func walk(n parse.Node, used map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, used)
		}
	case *parse.ActionNode:
		walk(n.Pipe, used)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walk(c, used)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, used)
		}
	case *parse.FieldNode:
		used[n.Ident[0]] = true
	case *parse.VariableNode:
		if len(n.Ident) > 1 && n.Ident[0] == "$" {
			used[n.Ident[1]] = true
		}
	case *parse.ChainNode:
		walk(n.Node, used)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, used)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, used)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, used)
	case *parse.TemplateNode:
		walk(n.Pipe, used)
	}
}

func walkBranch(b *parse.BranchNode, used map[string]bool) {
	walk(b.Pipe, used)
	walk(b.List, used)
	walk(b.ElseList, used)
}
