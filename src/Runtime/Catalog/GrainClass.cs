using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Runtime.Catalog;

/// <summary>A grain implementation with its compiled constructor (dependencies come from the silo's services).</summary>
internal sealed record GrainClass(string GrainType, Type ClassType, ObjectFactory Factory);
