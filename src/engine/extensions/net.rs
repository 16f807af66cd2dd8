//! `net.cidr_merge` and `net.cidr_intersects`, with the address rules of Go's
//! `net.ParseCIDR`/`net.ParseIP` that OPA inherits.
//!
//! Go keeps an IPv4 address as the IPv4-mapped IPv6 address `::ffff:a.b.c.d`,
//! so OPA merges both families in one 128-bit space and prints a network of
//! that mapped range (prefix 96 or longer) as IPv4: `::ffff:10.0.0.0/104` is
//! `10.0.0.0/8`, and `0.0.0.0/0` merges into `::/0`. Ranges here are `u128`s
//! in that space.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use anyhow::{anyhow, bail, Result};
use ipnet::Ipv6Subnets;
use regorus::Value;

use super::{string_arg, type_name};

/// `::ffff:0.0.0.0`, where the IPv4 addresses start.
const V4_MAPPED: u128 = 0xffff << 32;

/// A parsed network: its first address and prefix length, both in the 128-bit space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cidr {
    addr: u128,
    prefix: u32,
}

impl Cidr {
    fn last(self) -> u128 {
        self.addr | !mask(self.prefix)
    }

    /// Whether Go treats (and prints) the network as IPv4.
    fn is_v4(self) -> bool {
        self.prefix >= 96 && self.addr & !0xffff_ffff == V4_MAPPED
    }

    fn text(self) -> String {
        if self.is_v4() {
            // Truncation intended: the low 32 bits are the IPv4 address.
            format!("{}/{}", Ipv4Addr::from(self.addr as u32), self.prefix - 96)
        } else {
            format!("{}/{}", Ipv6Addr::from(self.addr), self.prefix)
        }
    }
}

fn mask(prefix: u32) -> u128 {
    u128::MAX.checked_shl(128 - prefix).unwrap_or(0)
}

/// An address in the 128-bit space, and whether it was written as IPv4.
fn parse_addr(text: &str) -> Option<(u128, bool)> {
    // std's parser, like Go's, refuses zones and IPv4 octets with leading zeros.
    match text.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some((V4_MAPPED | u128::from(u32::from(v4)), true)),
        IpAddr::V6(v6) => Some((u128::from(v6), false)),
    }
}

/// `a.b.c.d/n` or `x::y/n` as Go's `net.ParseCIDR` reads it (host bits cleared).
fn parse_cidr(text: &str) -> Option<Cidr> {
    let (addr, prefix) = text.split_once('/')?;
    let (addr, v4) = parse_addr(addr)?;
    // Go accepts any number of leading zeros in the prefix length, but no sign.
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = prefix.trim_start_matches('0');
    let length: u32 = if digits.is_empty() {
        0
    } else if digits.len() > 3 {
        return None;
    } else {
        digits.parse().ok()?
    };
    let (bits, offset) = if v4 { (32, 96) } else { (128, 0) };
    if length > bits {
        return None;
    }
    let prefix = length + offset;
    Some(Cidr {
        addr: addr & mask(prefix),
        prefix,
    })
}

fn cidr_operand(args: &[Value], index: usize) -> Result<Cidr> {
    let text = string_arg(args, index)?;
    parse_cidr(text).ok_or_else(|| anyhow!("invalid CIDR address: {text}"))
}

pub(super) fn cidr_intersects(args: &[Value]) -> Result<Value> {
    let a = cidr_operand(args, 0)?;
    let b = cidr_operand(args, 1)?;
    // Go compares an IPv4 network only with IPv4 addresses, and IPv6 with IPv6.
    let overlap = a.is_v4() == b.is_v4() && (a.addr ^ b.addr) & mask(a.prefix.min(b.prefix)) == 0;
    Ok(Value::from(overlap))
}

/// One input of `net.cidr_merge`: its range, and how OPA prints it if nothing merges into it.
struct Range {
    first: u128,
    last: u128,
    text: Option<String>,
}

impl Range {
    fn parse(text: &str) -> Result<Range> {
        if let Ok(ip) = text.parse::<IpAddr>() {
            let v4 = match ip {
                IpAddr::V4(v4) => v4,
                IpAddr::V6(v6) => v6
                    .to_ipv4_mapped()
                    .ok_or_else(|| anyhow!("IPv6 invalid: needs prefix length"))?,
            };
            // Go's `IP.DefaultMask`: the pre-CIDR class of the address.
            let class = match v4.octets()[0] {
                0..=127 => 8,
                128..=191 => 16,
                _ => 24,
            };
            let network = Cidr {
                addr: (V4_MAPPED | u128::from(u32::from(v4))) & mask(96 + class),
                prefix: 96 + class,
            };
            // OPA keeps the host bits of a bare address when it is not merged.
            return Ok(Range {
                first: network.addr,
                last: network.last(),
                text: Some(format!("{v4}/{class}")),
            });
        }
        let network = parse_cidr(text).ok_or_else(|| anyhow!("invalid CIDR address: {text}"))?;
        Ok(Range {
            first: network.addr,
            last: network.last(),
            text: Some(network.text()),
        })
    }
}

/// The address before `addr`, stopping at the bottom of the IPv4 and IPv6 spaces as OPA does.
fn previous(addr: u128) -> u128 {
    if addr == 0 || addr == V4_MAPPED {
        addr
    } else {
        addr - 1
    }
}

pub(super) fn cidr_merge(args: &[Value]) -> Result<Value> {
    let items: Vec<&Value> = match args.first() {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Set(items)) => items.iter().collect(),
        Some(other) => bail!(
            "operand 1 must be one of {{array, set}} but got {}",
            type_name(other)
        ),
        None => bail!("operand 1 is missing"),
    };
    let mut ranges = items
        .into_iter()
        .map(|item| match item {
            Value::String(text) => Range::parse(text),
            _ => bail!("element must be string"),
        })
        .collect::<Result<Vec<_>>>()?;
    ranges.sort_by_key(|r| (r.last, r.first));
    // From the highest range down, fold each into the one below when they touch or overlap.
    let mut merged: Vec<Range> = Vec::with_capacity(ranges.len());
    while let Some(mut range) = ranges.pop() {
        while let Some(below) = ranges.last() {
            if previous(range.first) > below.last {
                break;
            }
            range.first = range.first.min(below.first);
            range.text = None;
            ranges.pop();
        }
        merged.push(range);
    }
    let mut out = std::collections::BTreeSet::new();
    for range in merged {
        match range.text {
            Some(text) => {
                out.insert(Value::from(text));
            }
            None => {
                let subnets =
                    Ipv6Subnets::new(Ipv6Addr::from(range.first), Ipv6Addr::from(range.last), 0);
                for subnet in subnets {
                    let cidr = Cidr {
                        addr: u128::from(subnet.network()),
                        prefix: u32::from(subnet.prefix_len()),
                    };
                    out.insert(Value::from(cidr.text()));
                }
            }
        }
    }
    Ok(Value::from(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{error, eval};
    use super::*;

    #[test]
    fn go_cidr_syntax() {
        let v4 = |t| parse_cidr(t).map(Cidr::text);
        assert_eq!(v4("10.0.0.5/08").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(
            v4("10.0.0.5/000000000000008").as_deref(),
            Some("10.0.0.0/8")
        );
        assert_eq!(v4("::/0").as_deref(), Some("::/0"));
        assert_eq!(v4("::ffff:10.0.0.1/104").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(v4("2001:db8::1/32").as_deref(), Some("2001:db8::/32"));
        for bad in [
            "10.0.0.0",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/33",
            "010.0.0.0/8",
            "fe80::1%eth0/64",
            "::/129",
            "10.0.0.0/4294967304",
        ] {
            assert_eq!(parse_cidr(bad), None, "{bad}");
        }
    }

    #[test]
    fn merge_errors() {
        assert!(error(r#"net.cidr_merge(["2001:db8::1"])"#)
            .contains("net.cidr_merge: IPv6 invalid: needs prefix length"));
        assert!(error(r#"net.cidr_merge(["10.0.0.0/8", "bad"])"#)
            .contains("net.cidr_merge: invalid CIDR address: bad"));
        assert!(error(r#"net.cidr_merge(["10.0.0.0/8", 1])"#)
            .contains("net.cidr_merge: element must be string"));
        assert!(error(r#"net.cidr_merge("10.0.0.0/8")"#)
            .contains("operand 1 must be one of {array, set} but got string"));
        assert!(error(r#"net.cidr_intersects("10.0.0.1", "10.0.0.0/8")"#)
            .contains("net.cidr_intersects: invalid CIDR address: 10.0.0.1"));
    }

    #[test]
    fn a_range_across_the_ipv4_boundary_is_covered_exactly() {
        // OPA panics on this one; the minimal cover of the merged range is the useful answer.
        assert_eq!(
            eval(r#"net.cidr_merge(["::fffe:0:0/95", "1.0.0.0/8"])"#),
            eval(r#"{"::fffe:0:0/95"}"#)
        );
    }
}
