using System.CommandLine;
using Edge.Local.Broker;

namespace Edge.Gateway.Cli;

/// <summary><c>edge-gateway hash-password</c>: reads a password from stdin (or the argument) and prints the hash for Broker:Users:&lt;name&gt;:PasswordHash.</summary>
public static class HashPasswordCommand
{
    public static Command Create()
    {
        var password = new Argument<string?>("password") { Description = "the password (default: one line read from stdin, which keeps it out of the shell history)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("hash-password", "print the hash of a password for Broker:Users:<name>:PasswordHash") { password };
        command.SetAction(parsed => Run(parsed.GetValue(password)));
        return command;
    }

    public static int Run(string? argument)
    {
        string? password = argument ?? Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("edge-gateway hash-password: give the password as the argument or on stdin");
            return 2;
        }
        Console.WriteLine(PasswordHash.Create(password));
        return 0;
    }
}
