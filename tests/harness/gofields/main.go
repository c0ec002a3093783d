// Command gofields prints what go/parser sees in the Go files under a
// folder (vendor/ and dot-folders left out), for check_patch_go.py: each
// file's comments, and each struct type's fields in order with their
// type, tag, doc comment and trailing comment.  go/parser is the truth
// for "the comments and tags are all still there".
package main

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

type field struct {
	Names   []string `json:"names"`
	Type    string   `json:"type"`
	Tag     string   `json:"tag"`
	Doc     string   `json:"doc"`
	Comment string   `json:"comment"`
}

type file struct {
	Comments []string           `json:"comments"`
	Structs  map[string][]field `json:"structs"`
}

func text(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	printer.Fprint(&b, fset, n)
	return b.String()
}

func parse(path string) (file, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	out := file{Structs: map[string][]field{}}
	if err != nil {
		return out, err
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			out.Comments = append(out.Comments, c.Text)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return true
		}
		var fields []field
		for _, fl := range st.Fields.List {
			fd := field{Type: text(fset, fl.Type), Names: []string{}}
			for _, n := range fl.Names {
				fd.Names = append(fd.Names, n.Name)
			}
			if fl.Tag != nil {
				fd.Tag = fl.Tag.Value
			}
			if fl.Doc != nil {
				fd.Doc = fl.Doc.Text()
			}
			if fl.Comment != nil {
				fd.Comment = fl.Comment.Text()
			}
			fields = append(fields, fd)
		}
		out.Structs[ts.Name.Name] = fields
		return true
	})
	return out, nil
}

func main() {
	root := os.Args[1]
	all := map[string]file{}
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		name := info.Name()
		if info.IsDir() && path != root && (name == "vendor" || strings.HasPrefix(name, ".")) {
			return filepath.SkipDir
		}
		if !info.IsDir() && strings.HasSuffix(name, ".go") {
			rel, _ := filepath.Rel(root, path)
			f, err := parse(path)
			if err != nil {
				os.Stderr.WriteString(err.Error() + "\n")
				os.Exit(1)
			}
			all[rel] = f
		}
		return nil
	})
	json.NewEncoder(os.Stdout).Encode(all)
}
