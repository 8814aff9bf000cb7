namespace Switchboard.Silo.Hosting;

/// <summary>HTTP Basic credentials of the Orleans dashboard (section <c>Dashboard</c>). The dashboard shows grain keys
/// (every call's streamSid), logs and grain state, so outside Development it is refused at start without them.</summary>
internal sealed class DashboardCredentials
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>User name (<c>Dashboard:Username</c>); unset means no authentication (Development only).</summary>
    public string? Username { get; set; }

    /// <summary>Password (<c>Dashboard:Password</c>).</summary>
    public string? Password { get; set; }

    /// <summary>True when both are set.</summary>
    public bool IsSet => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    /// <summary>Reads the section; outside Development, missing credentials stop the start with a message naming the keys.</summary>
    public static DashboardCredentials Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var credentials = configuration.GetSection(SectionName).Get<DashboardCredentials>() ?? new DashboardCredentials();
        if (!credentials.IsSet && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"the Orleans dashboard needs Dashboard:Username and Dashboard:Password (Dashboard__Username, Dashboard__Password) in {environment.EnvironmentName}, "
                + "or Silo:DashboardPort=0 to turn it off.");
        }

        if (string.IsNullOrEmpty(credentials.Username) != string.IsNullOrEmpty(credentials.Password))
        {
            throw new InvalidOperationException("Dashboard:Username and Dashboard:Password must be set together.");
        }

        return credentials;
    }
}
