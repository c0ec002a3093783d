module github.com/acme/game

go 1.19
