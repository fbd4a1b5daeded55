import Templating

/// Memory, processor, uptime and mount facts from `/proc` and `stat -f`.
enum HardwareFacts {
    static func collect(_ sections: [String: [String]], into facts: inout ValueDictionary) {
        collectMemory(sections["meminfo"] ?? [], into: &facts)
        collectProcessors(sections["cpuinfo"] ?? [], nproc: sections["nproc"]?.first, into: &facts)
        if let uptime = sections["uptime"]?.first?.split(separator: " ").first, let seconds = Double(uptime) {
            facts["ansible_uptime_seconds"] = .int(Int(seconds))
        }
        if let load = sections["loadavg"]?.first?.split(separator: " ").compactMap({ Double($0) }), load.count >= 3 {
            facts["ansible_loadavg"] = .dict(ValueDictionary(["1m": .float(load[0]), "5m": .float(load[1]), "15m": .float(load[2])]))
        }
        facts["ansible_mounts"] = .list(mounts(sections["mounts"] ?? [], statfs: sections["statfs"] ?? []).map(Value.dict))
    }

    static func collectMemory(_ lines: [String], into facts: inout ValueDictionary) {
        var kilobytes: [String: Int] = [:]
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let value = Int(parts[1].split(separator: " ").first ?? "") else { continue }
            kilobytes[String(parts[0])] = value
        }
        guard let total = kilobytes["MemTotal"] else { return }
        let megabytes = { (key: String) in (kilobytes[key] ?? 0) / 1024 }
        let free = megabytes("MemFree")
        let swapTotal = megabytes("SwapTotal")
        let swapFree = megabytes("SwapFree")
        let nocacheFree = free + megabytes("Buffers") + megabytes("Cached")
        facts["ansible_memtotal_mb"] = .int(total / 1024)
        facts["ansible_memfree_mb"] = .int(free)
        facts["ansible_swaptotal_mb"] = .int(swapTotal)
        facts["ansible_swapfree_mb"] = .int(swapFree)
        facts["ansible_memory_mb"] = .dict(
            ValueDictionary([
                "nocache": .dict(ValueDictionary(["free": .int(nocacheFree), "used": .int(total / 1024 - nocacheFree)])),
                "real": .dict(ValueDictionary(["free": .int(free), "total": .int(total / 1024), "used": .int(total / 1024 - free)])),
                "swap": .dict(
                    ValueDictionary([
                        "cached": .int(megabytes("SwapCached")), "free": .int(swapFree), "total": .int(swapTotal),
                        "used": .int(swapTotal - swapFree),
                    ])),
            ]))
    }

    /// Ansible's processor facts: the `processor` list (index, vendor, model per CPU), sockets, cores, threads.
    static func collectProcessors(_ lines: [String], nproc: String?, into facts: inout ValueDictionary) {
        var processors: [Value] = []
        var sockets = Set<String>()
        var cores = 0
        var siblings = 0
        var vcpus = 0
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "processor":
                vcpus += 1
                processors.append(.string(parts[1]))
            case "vendor_id", "model name", "Processor", "cpu model": processors.append(.string(parts[1]))
            case "physical id": sockets.insert(parts[1])
            case "cpu cores": cores = Int(parts[1]) ?? cores
            case "siblings": siblings = Int(parts[1]) ?? siblings
            default: break
            }
        }
        let socketCount = max(sockets.count, 1)
        if cores == 0 { cores = max(vcpus / socketCount, 1) }
        if siblings == 0 { siblings = cores }
        facts["ansible_processor"] = .list(processors)
        facts["ansible_processor_count"] = .int(socketCount)
        facts["ansible_processor_cores"] = .int(cores)
        facts["ansible_processor_threads_per_core"] = .int(max(siblings / max(cores, 1), 1))
        facts["ansible_processor_vcpus"] = .int(vcpus > 0 ? vcpus : socketCount * siblings)
        facts["ansible_processor_nproc"] = .int(nproc.flatMap { Int($0) } ?? vcpus)
    }

    /// Device-backed mounts from `/proc/mounts` joined with `stat -f` sizes, as Ansible's `ansible_mounts`.
    static func mounts(_ lines: [String], statfs: [String]) -> [ValueDictionary] {
        var sizes: [String: [Int]] = [:]
        for line in statfs {
            let fields = line.split(separator: "|", maxSplits: 6, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 7 else { continue }
            sizes[fields[6]] = fields[0..<6].map { Int($0) ?? 0 }
        }
        var result: [ValueDictionary] = []
        for line in lines {
            let fields = line.split(separator: " ").map { unescape(String($0)) }
            guard fields.count >= 4, fields[0].hasPrefix("/") || fields[0].contains(":/") else { continue }
            var mount = ValueDictionary([
                "mount": .string(fields[1]), "device": .string(fields[0]), "fstype": .string(fields[2]),
                "options": .string(fields[3]), "dump": 0, "passno": 0, "uuid": "N/A",
            ])
            if let size = sizes[fields[1]] {
                let (blockSize, blocks, free, available, inodes, freeInodes) = (size[0], size[1], size[2], size[3], size[4], size[5])
                mount["size_total"] = .int(blockSize * blocks)
                mount["size_available"] = .int(blockSize * available)
                mount["block_size"] = .int(blockSize)
                mount["block_total"] = .int(blocks)
                mount["block_available"] = .int(available)
                mount["block_used"] = .int(blocks - free)
                mount["inode_total"] = .int(inodes)
                mount["inode_available"] = .int(freeInodes)
                mount["inode_used"] = .int(inodes - freeInodes)
            }
            result.append(mount)
        }
        return result
    }

    /// `/proc/mounts` escapes space, tab, newline and backslash as `\040`-style octal.
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var result = ""
        var characters = Substring(field)
        while let character = characters.first {
            characters = characters.dropFirst()
            if character == "\\", characters.count >= 3, let code = UInt8(characters.prefix(3), radix: 8) {
                result.append(Character(Unicode.Scalar(code)))
                characters = characters.dropFirst(3)
            } else {
                result.append(character)
            }
        }
        return result
    }
}
