module github.com/pulsebot/pulse

go 1.26.8

require (
	github.com/robfig/cron/v3 v3.0.1
	go.etcd.io/bbolt v1.4.3
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/sys v0.29.0 // indirect
