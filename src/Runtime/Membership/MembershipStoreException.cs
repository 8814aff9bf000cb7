namespace Switchboard.Runtime.Membership;

/// <summary>The membership store did not answer a call (the inner exception says why). Marks failures the
/// membership components expect and handle (store outage) apart from bugs.</summary>
internal sealed class MembershipStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MembershipStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MembershipStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception for a failed store call.</summary>
    public MembershipStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
