using Edge.Local.Broker;

namespace Edge.Gateway.Cli;

/// <summary><c>edge-gateway hash-password</c>: reads a password from stdin (or the argument) and prints the hash for Broker:Users:&lt;name&gt;:PasswordHash.</summary>
public static class HashPasswordCommand
{
    public static int Run(string[] args)
    {
        string? password = args.Length > 0 ? args[0] : Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("edge-gateway hash-password: give the password as the argument or on stdin");
            return 2;
        }
        Console.WriteLine(PasswordHash.Create(password));
        return 0;
    }
}
