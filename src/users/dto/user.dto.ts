import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { ROLES, Role } from '../../common/actor';
import { IsOptionalNotNull, IsPhone, IsText } from '../../common/validation';
import { IsAcceptablePassword } from '../../auth/password-policy';

export class CreateUserDto {
  @ApiProperty({ example: 'liannan.jijian', description: 'Login name: letters, digits, . _ -' })
  @IsDefined()
  @IsString()
  @MaxLength(50)
  @Matches(/^[A-Za-z0-9._-]{3,50}$/, { message: 'USERNAME_INVALID' })
  username: string;

  /** 姓名, shown wherever the user is named (e.g. 张三). */
  @ApiPropertyOptional({ example: '张三', nullable: true, description: '姓名 (display name)' })
  @IsOptional()
  @IsText(50)
  displayName?: string | null;

  /** 手机号: digits, '-' and spaces, 7–20. */
  @ApiPropertyOptional({ example: '138 0000 0000', nullable: true, description: '手机号' })
  @IsOptional()
  @IsPhone()
  phone?: string | null;

  @ApiProperty({
    example: 'Initial-Pass-2026',
    description:
      'The initial password: at least 10 characters, not containing the username, not a common password; the user must change it at the next sign-in in the web',
  })
  @IsDefined()
  @IsString()
  @MaxLength(200)
  @IsAcceptablePassword()
  password: string;

  @ApiProperty({
    enum: ROLES,
    description:
      'admin · finance (budgets, funding, payments) · infrastructure (project data, status, progress, milestones) · viewer',
  })
  @IsDefined()
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    example: 3,
    nullable: true,
    description:
      'Region the user is scoped to (with everything below it); null = all (admins only)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  regionId?: number | null;
}

export class UpdateUserDto {
  @ApiProperty({ example: 1, description: 'The version read; a stale one gets 409' })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ enum: ROLES, description: 'New role' })
  @IsOptionalNotNull()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    nullable: true,
    description: 'New region scope; null = all (admins only)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  regionId?: number | null;

  /** 姓名; null clears it. */
  @ApiPropertyOptional({ example: '张三', nullable: true, description: '姓名 (display name)' })
  @IsOptional()
  @IsText(50)
  displayName?: string | null;

  /** 手机号; null clears it. */
  @ApiPropertyOptional({ example: '138 0000 0000', nullable: true, description: '手机号' })
  @IsOptional()
  @IsPhone()
  phone?: string | null;

  @ApiPropertyOptional({ description: 'Disable (true) or re-enable (false) the account' })
  @IsOptionalNotNull()
  @IsBoolean()
  disabled?: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({
    example: 'New-Pass-2026',
    description:
      'The new password: at least 10 characters, not containing the username, not a common password; the user must change it at the next sign-in in the web',
  })
  @IsDefined()
  @IsString()
  @MaxLength(200)
  password: string;
}
