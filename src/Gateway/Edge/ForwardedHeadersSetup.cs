using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Trusts <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from <see cref="EdgeOptions.KnownProxies"/> only. The
/// framework's defaults (loopback trusted) are cleared, and the middleware only runs when the list is not empty: an
/// empty list means "trust everyone" to ASP.NET Core's forwarded-headers middleware, never what we want. The chain is
/// walked from the nearest hop while hops are known proxies, so a TLS terminator in front of nginx can be listed too.
/// </summary>
internal sealed class ForwardedHeadersSetup(KnownProxyList proxies) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = null;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var address in proxies.Addresses)
        {
            options.KnownProxies.Add(address);
        }

        foreach (var network in proxies.Networks)
        {
            options.KnownIPNetworks.Add(network);
        }
    }
}
