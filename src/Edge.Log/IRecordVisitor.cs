namespace Edge.Log;

/// <summary>Receives the records of an <see cref="EdgeLog.Scan"/> one at a time, in offset order.</summary>
public interface IRecordVisitor
{
    /// <summary>Handles one record; returns false to stop the scan after it.</summary>
    bool Visit(in RecordView record);
}
