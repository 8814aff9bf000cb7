namespace Switchboard.Runtime;

/// <summary>A grain identified by a string key, as in Orleans. Methods return <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>.</summary>
public interface IGrainWithStringKey : IGrain;
