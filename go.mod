module github.com/pulsebot/pulse

go 1.26.8

require (
	github.com/robfig/cron/v3 v3.0.1
	go.etcd.io/bbolt v1.4.3
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/bwmarrin/discordgo v0.29.0 // indirect
	github.com/eatmoreapple/openwechat v1.4.8 // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/mdp/qrterminal/v3 v3.2.1 // indirect
	golang.org/x/crypto v0.0.0-20210421170649-83a5a9bb288b // indirect
	golang.org/x/sys v0.29.0 // indirect
	golang.org/x/term v0.13.0 // indirect
	rsc.io/qr v0.2.0 // indirect
)
