package config

// DiscordConfig configures the Discord adapter (adapters/discord).
type DiscordConfig struct {
	// Enabled starts the Discord adapter in `pulse run`.
	Enabled bool `yaml:"enabled"`
}

// WeChatConfig configures the WeChat adapter (adapters/wechat).
type WeChatConfig struct {
	// Enabled starts the WeChat adapter in `pulse run`.
	Enabled bool `yaml:"enabled"`
}
