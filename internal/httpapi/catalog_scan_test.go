package httpapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// codeUse is a code literal found in the source, and where.
type codeUse struct {
	code, pos string
	field     bool // a code of errors[], not of the problem
}

// sourcePackage is the parsed non-test files of one directory.
type sourcePackage struct {
	name  string // the package's directory name, as importers call it
	files []*ast.File
	funcs map[string]*ast.FuncDecl // top-level functions and methods by name
}

// scanCodes parses every non-test Go file of the module under dirs and
// returns the literal codes of its errors: the Code of domain.Error and
// domain.FieldError literals, the code of edgeError literals, literal
// arguments for a parameter named code of a function that builds one of
// those, and literals assigned to a variable named code.
func scanCodes(t *testing.T, root string, dirs ...string) []codeUse {
	t.Helper()
	fset := token.NewFileSet()
	pkgs := map[string]*sourcePackage{}
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			key := filepath.Dir(path)
			if pkgs[key] == nil {
				pkgs[key] = &sourcePackage{name: filepath.Base(key), funcs: map[string]*ast.FuncDecl{}}
			}
			pkgs[key].files = append(pkgs[key].files, f)
			for _, decl := range f.Decls {
				if fn, ok := decl.(*ast.FuncDecl); ok {
					pkgs[key].funcs[fn.Name.Name] = fn
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	byName := map[string]*sourcePackage{}
	for _, p := range pkgs {
		byName[p.name] = p
	}
	var uses []codeUse
	for _, p := range pkgs {
		for _, f := range p.files {
			uses = append(uses, scanFile(fset, f, p, byName)...)
		}
	}
	return uses
}

// scanFile finds the code literals of one file (see scanCodes).
func scanFile(fset *token.FileSet, f *ast.File, pkg *sourcePackage, byName map[string]*sourcePackage) []codeUse {
	var uses []codeUse
	add := func(lit ast.Expr, field bool) {
		if s, ok := stringLit(lit); ok {
			uses = append(uses, codeUse{code: s, pos: fset.Position(lit.Pos()).String(), field: field})
		}
	}
	locals := map[string]*ast.FuncLit{} // func literals bound to names, e.g. gone := func(code, detail string)
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok || i >= len(n.Rhs) {
					continue
				}
				if lit, ok := n.Rhs[i].(*ast.FuncLit); ok {
					locals[id.Name] = lit
				}
				if id.Name == "code" {
					add(n.Rhs[i], true) // code, msg = "required", ... in fieldError
				}
			}
		case *ast.CompositeLit:
			kind, ok := literalKind(n.Type)
			if !ok {
				return true
			}
			for _, elt := range n.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if key, ok := kv.Key.(*ast.Ident); ok && strings.EqualFold(key.Name, "code") {
						add(kv.Value, kind == "field")
					}
				}
			}
		case *ast.CallExpr:
			fn, body := callee(n.Fun, pkg, byName, locals)
			if fn == nil || body == nil {
				return true
			}
			kind := builds(body)
			if i := codeParam(fn); kind != "" && i >= 0 && i < len(n.Args) {
				add(n.Args[i], kind == "field")
			}
		}
		return true
	})
	return uses
}

// literalKind says which composite literals carry a code: "problem" for
// domain.Error and edgeError, "field" for domain.FieldError.
func literalKind(typ ast.Expr) (string, bool) {
	name := ""
	switch t := typ.(type) {
	case *ast.Ident:
		name = t.Name
	case *ast.SelectorExpr:
		name = t.Sel.Name
	}
	switch name {
	case "Error", "edgeError":
		return "problem", true
	case "FieldError":
		return "field", true
	}
	return "", false
}

// callee resolves the function a call names, within the scanned source:
// a local func literal, a function or method of the same package, or a
// function of another scanned package (domain.Invalid).
func callee(fun ast.Expr, pkg *sourcePackage, byName map[string]*sourcePackage, locals map[string]*ast.FuncLit) (*ast.FuncType, *ast.BlockStmt) {
	var decl *ast.FuncDecl
	switch f := fun.(type) {
	case *ast.Ident:
		if lit, ok := locals[f.Name]; ok {
			return lit.Type, lit.Body
		}
		decl = pkg.funcs[f.Name]
	case *ast.SelectorExpr:
		decl = pkg.funcs[f.Sel.Name] // a method, e.g. q.fail
		if x, ok := f.X.(*ast.Ident); ok {
			if other, ok := byName[x.Name]; ok && other != pkg {
				decl = other.funcs[f.Sel.Name]
			}
		}
	}
	if decl == nil {
		return nil, nil
	}
	return decl.Type, decl.Body
}

// codeParam is the index of the string parameter named code, or -1.
func codeParam(fn *ast.FuncType) int {
	i := 0
	for _, field := range fn.Params.List {
		for _, name := range field.Names {
			if name.Name == "code" {
				if id, ok := field.Type.(*ast.Ident); ok && id.Name == "string" {
					return i
				}
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	return -1
}

// builds says what a function body builds: "field" when it builds a
// FieldError (a field code builder such as q.fail), else "problem" when
// it builds a domain.Error or edgeError, else "" (e.g. a warning builder).
func builds(body *ast.BlockStmt) string {
	kind := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok {
			if k, ok := literalKind(lit.Type); ok && (kind == "" || k == "field") {
				kind = k
			}
		}
		return kind != "field"
	})
	return kind
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
