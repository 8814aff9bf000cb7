namespace Switchboard.Postgres;

/// <summary>
/// The Switchboard schema could not be checked or applied: the server is unreachable, the account lacks rights, the
/// database holds tables this schema did not create, or it is at a newer version than this build knows.
/// The message names the server, the database and the step; the inner exception is Npgsql's.
/// </summary>
public sealed class PostgresSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PostgresSchemaException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PostgresSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public PostgresSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
