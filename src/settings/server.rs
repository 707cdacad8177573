//! `serve`'s own settings: which reverse proxies are believed about the client's address and
//! scheme, and the limits that keep one slow or hostile client from holding the server
//! (header, idle and request timeouts, the connection cap, database statement timeouts).

use std::{net::IpAddr, sync::Arc, time::Duration};

use ipnet::IpNet;

use super::{Env, SettingsError, file::ServerSection, parse_env};
use crate::envvars;

/// Addresses and ranges whose `X-Forwarded-For` and `X-Forwarded-Proto` headers are
/// believed. The default is loopback only (a proxy on the same host).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    pub fn loopback() -> TrustedProxies {
        TrustedProxies::parse("127.0.0.0/8,::1", "the default").expect("valid default")
    }

    /// Comma- or space-separated addresses and CIDR ranges; `none` (or nothing) trusts none.
    pub fn parse(text: &str, source: &str) -> Result<TrustedProxies, SettingsError> {
        let mut nets = Vec::new();
        for item in text
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if item.eq_ignore_ascii_case("none") {
                continue;
            }
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| SettingsError::Invalid {
                    what: format!("trusted proxy `{item}` from {source}"),
                    expected: "IP addresses or CIDR ranges like 10.0.0.0/8, comma-separated".into(),
                })?;
            nets.push(net.trunc());
        }
        Ok(TrustedProxies(Arc::new(nets)))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        let list: Vec<String> = self.0.iter().map(IpNet::to_string).collect();
        f.write_str(&list.join(", "))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerSettings {
    pub trusted_proxies: TrustedProxies,
    /// How long a client may take to send a request's headers, from its first byte.
    pub header_timeout: Duration,
    /// How long a keep-alive connection may wait idle for its next request.
    pub idle_timeout: Duration,
    /// Open connections at most; more wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// How long a request may take before it is answered 503 (uploads and downloads, which
    /// stream, are bounded by the idle timeout instead).
    pub request_timeout: Duration,
}

pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(75);
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Flag, then environment, then file, then the default.
pub fn resolve(
    env: &dyn Env,
    flag_proxies: &[String],
    file: &ServerSection,
) -> Result<ServerSettings, SettingsError> {
    let trusted_proxies = if !flag_proxies.is_empty() {
        TrustedProxies::parse(&flag_proxies.join(","), "--trusted-proxy")?
    } else if let Some(text) = env.var(envvars::TRUSTED_PROXIES) {
        TrustedProxies::parse(&text, envvars::TRUSTED_PROXIES)?
    } else if let Some(list) = &file.trusted_proxies {
        TrustedProxies::parse(&list.join(","), "the configuration file")?
    } else {
        TrustedProxies::loopback()
    };
    let seconds = |name: &str, file: Option<u64>, default: Duration| {
        Ok::<_, SettingsError>(
            parse_env::<u64>(env, name, "a number of seconds")?
                .or(file)
                .map_or(default, Duration::from_secs)
                .max(Duration::from_secs(1)),
        )
    };
    Ok(ServerSettings {
        trusted_proxies,
        header_timeout: seconds(
            envvars::HEADER_TIMEOUT,
            file.header_timeout_secs,
            DEFAULT_HEADER_TIMEOUT,
        )?,
        idle_timeout: seconds(
            envvars::IDLE_TIMEOUT,
            file.idle_timeout_secs,
            DEFAULT_IDLE_TIMEOUT,
        )?,
        max_connections: parse_env(env, envvars::MAX_CONNECTIONS, "a whole number")?
            .or(file.max_connections)
            .unwrap_or(DEFAULT_MAX_CONNECTIONS)
            .max(1),
        request_timeout: seconds(
            envvars::REQUEST_TIMEOUT,
            file.request_timeout_secs,
            DEFAULT_REQUEST_TIMEOUT,
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_are_addresses_and_ranges() {
        let p = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7 ,fd00::/8", "test").unwrap();
        assert!(p.contains("10.1.2.3".parse().unwrap()));
        assert!(p.contains("192.168.1.7".parse().unwrap()));
        assert!(!p.contains("192.168.1.8".parse().unwrap()));
        assert!(p.contains("fd12::1".parse().unwrap()));
        assert!(
            p.contains("::ffff:10.0.0.1".parse().unwrap()),
            "IPv4-mapped IPv6 peers are their IPv4 address"
        );
        let loopback = TrustedProxies::loopback();
        assert!(loopback.contains("127.0.0.1".parse().unwrap()));
        assert!(loopback.contains("::1".parse().unwrap()));
        assert!(TrustedProxies::parse("none", "test").unwrap().is_empty());
        assert!(TrustedProxies::parse("10.0.0.0/33", "test").is_err());
        assert!(TrustedProxies::parse("example.org", "test").is_err());
    }
}
